import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';

const BASE = ['nodes: 3', 'protocol: { name: raft }', 'workload: { kind: register, clients: 2 }'];

describe('a run always ends, and says why', () => {
  it('reaching the event limit is a verdict (limit), not a hang', () => {
    const { result } = runScenario(parseScenario([...BASE, 'duration: 60s', 'limits: { events: 5000 }'].join('\n')));
    expect(result.verdict.kind).toBe('limit');
    expect(result.verdict.detail).toMatch(/event limit 5000 reached/);
    expect(result.events).toBe(5000);
  });

  it('the CLI exits 3 for a limit', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'faultline-limit-'));
    const file = join(directory, 'limit.yaml');
    writeFileSync(file, [...BASE, 'duration: 60s', 'limits: { events: 5000 }'].join('\n'));
    const io = bufferIo();
    expect(await runCli(['run', file, '--out', directory], io)).toBe(3);
    expect(io.stdout).toMatch(/verdict\s+LIMIT/);
  });

  it('a bounded workload ends the run when every client is done', () => {
    const { result } = runScenario(parseScenario([...BASE, 'workload: { kind: register, clients: 2, operations: 10 }', 'duration: 60s'].filter((line, index) => index !== 2).join('\n')));
    expect(result.operations.invoked).toBe(20);
    expect(result.simulatedTime).toBeLessThan(5_000_000);
    expect(result.verdict.kind).toBe('pass');
  });
});
