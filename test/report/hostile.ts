/** Test material shared by the page tests: a hostile scenario name and a scenario that fails. */

/** Markup, an attribute breakout and a right-to-left override, in one scenario name. */
export const hostileName = '<script>window.__injected = 1</script>"><img src=x onerror="window.__injected = 2">\u202Eevil';

/**
 * A pass-expected scenario that fails on most seeds: primary-backup with asynchronous replication
 * (the planted bug of pb-async-replication-unsafe.yaml) under a leader isolation, 4 s.
 */
export function failingScenarioText(name: string): string {
  return `name: '${name.replace(/'/g, "''")}'
nodes: 3
protocol: { name: primary-backup, options: { unsafeAsyncReplication: true } }
network: { latency: { distribution: uniform, min: 1ms, max: 10ms } }
workload: { kind: cas-register, clients: 4, thinkTime: 10ms }
faults:
  - { at: 1s, every: 3s, action: partition, partition: { shape: isolate, node: leader }, for: 1500ms }
duration: 4s
check: { linearizability: cas-register, invariants: false }
expect: pass
`;
}
