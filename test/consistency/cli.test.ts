import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { historyToJsonLines } from '../../src/history/operation.js';
import { history, r, w } from './history-builder.js';

const directory = mkdtempSync(path.join(tmpdir(), 'faultline-consistency-'));

function file(name: string, text: string): string {
  const target = path.join(directory, name);
  writeFileSync(target, text);
  return target;
}

// p1 writes 1; p0 reads 1, then nil: monotonic reads broken (and so causal, sequential,
// linearizable); RYW, MW and WFR hold.
const backwards = file('backwards.jsonl', historyToJsonLines(history([w(1, 1, 0, 1), r(0, 1, 2, 3), r(0, null, 4, 5)])));
// p0 writes 1; p1 reads nil afterwards: sequential, not linearizable.
const stale = file('stale.jsonl', historyToJsonLines(history([w(0, 1, 0, 1), r(1, null, 2, 3)])));

describe('faultline check --consistency', () => {
  it('all: prints every model, the strongest that holds and each violation, and exits 0', async () => {
    const run = await runCheckCli([backwards, '--model', 'register', '--consistency', 'all']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('strongest that holds: read-your-writes, monotonic-writes, writes-follow-reads');
    expect(run.stdout).toMatch(/ {2}monotonic-reads {6}VIOLATED/);
    expect(run.stdout).toMatch(/ {2}sequential {11}VIOLATED \(implied by causal\)/);
    expect(run.stdout).toContain('monotonic-reads violated:\n  #2 p0 read → null returns the initial value, after #1 p0 read → 1 in the same session had returned the value of #0 p1 write 1.\n  operations: #1, #2, #0');
  });

  it('one model: the exit code follows its verdict', async () => {
    expect((await runCheckCli([stale, '--model', 'register', '--consistency', 'sequential'])).exitCode).toBe(0);
    expect((await runCheckCli([stale, '--model', 'register', '--consistency', 'linearizable'])).exitCode).toBe(1);
    expect((await runCheckCli([backwards, '--model', 'register', '--consistency', 'monotonic-reads'])).exitCode).toBe(1);
    expect((await runCheckCli([backwards, '--model', 'register', '--consistency', 'read-your-writes'])).exitCode).toBe(0);
  });

  it('--json gives the verdicts as data', async () => {
    const run = await runCheckCli([stale, '--model', 'register', '--consistency', 'all', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.strongest).toEqual(['sequential']);
    expect(report.verdicts.map((verdict: { model: string; verdict: string }) => `${verdict.model}=${verdict.verdict}`)).toEqual([
      'linearizable=violated',
      'sequential=holds',
      'causal=holds',
      'read-your-writes=holds',
      'monotonic-reads=holds',
      'monotonic-writes=holds',
      'writes-follow-reads=holds',
    ]);
  });

  it('--html embeds the ladder in the history page', async () => {
    const html = path.join(directory, 'ladder.html');
    const run = await runCheckCli([backwards, '--model', 'register', '--consistency', 'all', '--html', html]);
    expect(run.exitCode).toBe(0);
    const page = readFileSync(html, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="history-data">(.*?)<\/script>/s.exec(page)?.[1] ?? 'null');
    expect(data.strongest).toEqual(['read-your-writes', 'monotonic-writes', 'writes-follow-reads']);
    expect(data.ladder.find((row: { model: string }) => row.model === 'monotonic-reads')).toMatchObject({ verdict: 'violated', operations: [1, 2, 0] });
  });

  it('bad input: exit 2 with one line naming the file and line, or the flag', async () => {
    const broken = file('broken.jsonl', '{"process":0,"type":"invoke","f":"write","value":1,"time":0}\n{"process":0,"type":"ok","f":"read","value":1,"time":1}\n');
    const run = await runCheckCli([broken, '--model', 'register', '--consistency', 'all']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`faultline: ${broken}:2: process 0 completes :read but invoked :write; expected a matching completion\n`);
    const flag = await runCheckCli([stale, '--model', 'register', '--consistency', 'eventual']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toMatch(/^faultline: --consistency must be all or one of linearizable, sequential, causal, .*, got "eventual"\n$/);
  });
});
