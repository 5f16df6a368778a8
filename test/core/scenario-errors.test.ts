import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { bufferIo } from '../../src/cli/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BAD = 'test/fixtures/bad-scenarios';

/** Each malformed file, and what the one-line message must say (file:line:col: field: problem). */
const CASES: [file: string, expected: RegExp][] = [
  ['wrong-type-nodes.yaml', /wrong-type-nodes\.yaml:1:1: nodes: expected a node count/],
  ['unknown-top-field.yaml', /unknown-top-field\.yaml:4:1: retries: unknown field "retries"/],
  ['unknown-nested-field.yaml', /:4:\d+: network\.latency\.p999: unknown field "p999"/],
  ['negative-time.yaml', /:5:\d+: faults\[0\]\.at: expected a duration .*-5s/],
  ['impossible-partition.yaml', /faults\[0\]\.partition\.groups\[1\]\[0\]: node 1 is in two groups/],
  ['node-out-of-range.yaml', /:5:\d+: faults\[0\]\.node: no node 7: the cluster has nodes 0\.\.2/],
  ['yaml-syntax.yaml', /yaml-syntax\.yaml:\d+:\d+: YAML syntax error/],
  ['empty.yaml', /empty\.yaml:1:1: the file is empty/],
  ['unknown-protocol.yaml', /:2:\d+: protocol\.name: unknown protocol "paxos-made-simpler"; expected one of/],
  ['bad-protocol-option.yaml', /protocol\.options\.heartbeatMs: expected an integer number of milliseconds of at least 1, got "fast"/],
  ['missing-duration.yaml', /duration: expected a duration/],
  ['bad-duration.yaml', /:3:\d+: duration: expected a duration such as 250ms.*10 parsecs/],
  ['probability-above-one.yaml', /network\.loss: expected a probability between 0 and 1/],
  ['unknown-action.yaml', /faults\[0\]\.action: expected action: crash, restart/],
  ['fault-after-end.yaml', /faults\[0\]\.at: at 30000ms is after the scenario's duration/],
  ['top-level-list.yaml', /top-level-list\.yaml:1:1: expected a mapping of scenario fields/],
  ['bad-mix.yaml', /workload\.mix\.cas: operation "cas" is not part of the register workload/],
  ['duplicate-key.yaml', /duplicate-key\.yaml:2:1: YAML syntax error: Map keys must be unique/],
  ['for-longer-than-every.yaml', /faults\[0\]\.for: expected for \(3000ms\) shorter than every/],
  ['bridge-too-small.yaml', /faults\[0\]\.partition\.shape: a bridge partition needs at least 3 nodes/],
  ['does-not-exist.yaml', /does-not-exist\.yaml: no such file/],
  ['client-out-of-range.yaml', /:6:\d+: faults\[0\]\.client: no client 5: the workload has clients 0\.\.1/],
  ['unknown-workload.yaml', /workload\.kind: expected kind: register, cas-register, kv, counter, set, queue, lock or bank/],
  ['swarm-not-boolean.yaml', /:3:\d+: swarm: /],
  ['bad-clock-offset.yaml', /faults\[0\]\.offset: expected a duration such as -250ms/],
  ['bad-raft-option.yaml', /protocol\.options\.readMode: /],
  ['sender-without-trigger.yaml', /:5:\d+: faults\[0\]\.node: sender is the node whose send triggered the fault: it needs after/],
  ['trigger-with-every.yaml', /:5:\d+: faults\[0\]\.every: a fault with after fires on sends, not every so often/],
  ['probability-without-trigger.yaml', /:5:\d+: faults\[0\]\.probability: probability needs after/],
];

describe('a malformed scenario is refused with exit code 2 and one line naming the problem', () => {
  it.each(CASES)('%s', async (file, expected) => {
    const io = bufferIo(ROOT);
    const code = await runCli(['run', join(BAD, file), '--out', '/tmp/faultline-never-written'], io);
    expect(code).toBe(2);
    expect(io.stdout).toBe('');
    const lines = io.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^faultline: /);
    expect(lines[0]).toMatch(expected);
    expect(io.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('the real process behaves the same: exit 2, one line, no stack trace', () => {
    const child = spawnSync(process.execPath, ['bin/faultline.js', 'run', join(BAD, 'unknown-nested-field.yaml')], { cwd: ROOT, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(child.stderr).toMatch(/network\.latency\.p999: unknown field/);
  });

  it('a usage error (unknown flag) also exits 2', async () => {
    const io = bufferIo(ROOT);
    expect(await runCli(['run', 'scenarios/pb-healthy.yaml', '--sed', '3'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown option '--sed'/);
  });
});
