/**
 * The largest thing a scenario may ask for. A limit on everything (TigerBeetle): a typo such as
 * `duration: 1e300` or a pasted 50 MB fault list must be refused at load, naming the limit,
 * instead of running for minutes and ending in an out-of-memory crash.
 */
export const SCENARIO_LIMITS = {
  /** A scenario file larger than this is refused before it is parsed. */
  fileBytes: 4 * 1024 * 1024,
  /** YAML nesting (maps and lists inside each other); real scenarios need about 6. */
  yamlDepth: 64,
  /** Alias expansions the YAML reader will perform (guards against "billion laughs"). */
  yamlAliases: 100,
  /** Any duration in the file, and the safety phase: one simulated hour. */
  durationMicros: 60 * 60 * 1_000_000,
  nodes: 64,
  clients: 1_000,
  keys: 1_000_000,
  faults: 10_000,
  /** `limits.events`: a billion events is minutes of work; more is a typo. */
  events: 1_000_000_000,
  operationsPerClient: 10_000_000,
  /** Scripted operations over all clients (`workload.script`, written by shrink). */
  scriptOperations: 100_000,
  attempts: 100,
  /** Operations per simulated second per client (`workload.rate`). */
  ratePerSecond: 100_000,
  mixWeight: 1_000_000,
} as const;

/** `1,000,000` for messages. */
export function formatLimit(value: number): string {
  return value.toLocaleString('en-US');
}
