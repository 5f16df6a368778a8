import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(args: string[]) {
  const io = bufferIo(ROOT);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('faultline run and replay', () => {
  const out = mkdtempSync(join(tmpdir(), 'faultline-run-'));

  it('run prints the summary, writes result.json and history.jsonl, and offers a replay line', async () => {
    const { code, stdout } = await cli(['run', 'scenarios/pb-healthy.yaml', '--seed', '3', '--out', out, '--trace']);
    expect(code).toBe(0);
    for (const label of ['simulated', 'events', 'messages', 'sent', 'delivered', 'dropped', 'duplicated', 'crashes', 'verdict', 'trace hash', 'replay']) {
      expect(stdout).toContain(label);
    }
    expect(stdout).toContain(`faultline replay ${join(out, 'result.json')}`);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ scenario: 'pb-healthy', seed: 3, verdict: { kind: 'pass' } });
    expect(result.traceHash).toMatch(/^[0-9a-f]{16}$/);
    const history = readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(history.length).toBeGreaterThan(100);
    expect(history[0]).toMatchObject({ type: 'invoke' });
    const trace = readFileSync(join(out, 'trace.jsonl'), 'utf8').trim().split('\n');
    expect(trace).toHaveLength(result.traceEvents);
  });

  it('--json prints the result instead of the summary', async () => {
    const { code, stdout } = await cli(['run', 'scenarios/pb-healthy.yaml', '--seed', '3', '--out', join(out, 'json'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).seed).toBe(3);
  });

  it('replay re-runs the same scenario and seed and confirms the trace hash', async () => {
    const { code, stdout } = await cli(['replay', join(out, 'result.json')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/trace hash [0-9a-f]{16} matches/);
  });

  it('replay of a run that no longer reproduces exits non-zero and names the first differing event', async () => {
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    // Pretend the code changed under the recorded run: the clients now think 1ms less.
    result.scenarioSource = result.scenarioSource.replace('thinkTime: 20ms', 'thinkTime: 19ms');
    writeFileSync(join(out, 'result.json'), JSON.stringify(result));
    const { code, stderr } = await cli(['replay', join(out, 'result.json')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/replay diverged/);
    expect(stderr).toMatch(/first differing event #\d+\n\s+expected: \d+\.\d{6}s .+\n\s+actual:\s+\d+\.\d{6}s /);
  });
});

describe('protocols of your own on the command line', () => {
  it('run and replay load a module that registers a protocol (--import)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-import-'));
    const setup = 'test/fixtures/protocols/log-protocols.mjs';
    const ran = await cli(['run', 'test/fixtures/scenarios/planted-bug-short.yaml', '--import', setup, '--seed', '2', '--out', out]);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toMatch(/verdict\s+(PASS|INVARIANT)/);
    const replayed = await cli(['replay', join(out, 'result.json'), '--import', setup]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/matches: the run reproduced exactly/);
  });
});
