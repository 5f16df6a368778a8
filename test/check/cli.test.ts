import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { fixtureHistories, repoRoot } from './corpus-files.js';

const etcdBad = path.join(fixtureHistories, 'porcupine/jepsen/etcd_097.log');
const etcdGood = path.join(fixtureHistories, 'porcupine/jepsen/etcd_002.log');
const kvBad = path.join(fixtureHistories, 'porcupine/kv/c01-bad.txt');

describe('faultline check', () => {
  it('exits 0 and says linearizable for a linearizable history, with the format implying the model', async () => {
    const run = await runCheckCli([etcdGood, '--format', 'porcupine-etcd']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/verdict: LINEARIZABLE \(\d+\.\d ms\)/);
    expect(run.stdout).toMatch(/model cas-register/);
  });

  it('exits 1 for a violation and explains it: the prefix, the state, the operations that cannot go next', async () => {
    const run = await runCheckCli([kvBad, '--format', 'porcupine-kv']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/verdict: NOT LINEARIZABLE/);
    expect(run.stdout).toMatch(/violation in key "\d+":/);
    expect(run.stdout).toMatch(/longest linearizable prefix \(\d+ operations/);
    expect(run.stdout).toMatch(/state after it: "/);
    expect(run.stdout).toMatch(/operations that cannot be ordered next:\n {4}#\d+ p\d+ get → .*: illegal in state/);
  });

  it('prints per-partition verdicts and the explanation as JSON with --json', async () => {
    const run = await runCheckCli([kvBad, '--format', 'porcupine-kv', '--json', '--all-partitions']);
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe('not linearizable');
    expect(result.model).toBe('kv');
    expect(result.partitions.length).toBeGreaterThan(1);
    const failed = result.partitions.filter((partition: { verdict: string }) => partition.verdict === 'not linearizable');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].violation.blocked.length).toBeGreaterThan(0);
    expect(result.partitions.every((partition: { verdict: string }) => partition.verdict !== 'unknown')).toBe(true);
  });

  it('exits 3 with verdict unknown when the time budget is too small', async () => {
    // etcd_097 needs a search; a budget below one clock sample still yields a verdict value, never a crash.
    const run = await runCheckCli([etcdBad, '--format', 'porcupine-etcd', '--timeout-ms', '0.000001']);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/verdict: UNKNOWN/);
    expect(run.stdout).toMatch(/unknown, time budget/);
  });

  it('writes a self-contained HTML report with --html', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'faultline-check-')), 'report.html');
    const run = await runCheckCli([etcdBad, '--format', 'porcupine-etcd', '--html', out]);
    expect(run.exitCode).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
  });

  // globalSetup builds dist/ when it is missing or older than src/: this test never skips.
  it('runs as a real process through bin/faultline.js', () => {
    expect(existsSync(path.join(repoRoot, 'dist/cli/main.js'))).toBe(true);
    const child = spawnSync(process.execPath, [path.join(repoRoot, 'bin/faultline.js'), 'check', etcdBad, '--format', 'porcupine-etcd'], { encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stdout).toMatch(/NOT LINEARIZABLE/);
    const bad = spawnSync(process.execPath, [path.join(repoRoot, 'bin/faultline.js'), 'check', path.join(fixtureHistories, 'malformed/truncated.edn'), '--model', 'register'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/truncated\.edn:2/);
  });
});
