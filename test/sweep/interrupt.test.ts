import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/run-result.js';
import { failureResultFiles, fixtureScenario, LOG_PROTOCOLS, readSummary, ROOT, temporaryDirectory } from './helpers.js';

/** Polls until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(50);
}

describe('SIGINT during a sweep', () => {
  it('stops cleanly: every failure found is on disk as valid JSON, and summary.json says what ran', async () => {
    const out = temporaryDirectory('sigint');
    // Every seed of this scenario fails (the planted bug), and there are far more than can run
    // before the signal arrives.
    const child = spawn(
      process.execPath,
      ['bin/faultline.js', 'sweep', fixtureScenario('planted-bug'), '--seeds', '5000', '--workers', '2', '--no-check-determinism', '--import', LOG_PROTOCOLS, '--out', out],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let running = true;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => ((running = false), resolve(code))));

    await until(() => failureResultFiles(out).length >= 3 || !running);
    expect(running).toBe(true); // still sweeping when the signal is sent
    child.kill('SIGINT');
    const code = await exited;

    const onDisk = failureResultFiles(out).map((path) => JSON.parse(readFileSync(path, 'utf8')) as RunResult);
    const summary = readSummary(out);
    expect(code).toBe(1); // failures were found
    expect(summary.status).toBe('interrupted');
    expect(summary.totals.notRun).toBeGreaterThan(0);
    expect(summary.totals.run + summary.totals.notRun).toBe(5000);
    for (const result of onDisk) expect(result.verdict.kind).toBe('invariant');
    const failedInSummary = summary.scenarios[0]!.runs.filter((run) => run.failed);
    expect(failedInSummary.map((run) => run.seed).sort((a, b) => a - b)).toEqual(onDisk.map((result) => result.seed).sort((a, b) => a - b));
    for (const run of failedInSummary) {
      const result = JSON.parse(readFileSync(join(out, run.failureDirectory!, 'result.json'), 'utf8')) as RunResult;
      expect(result.traceHash).toBe(run.traceHash);
    }
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(`failures="${summary.totals.failed}"`);
    expect(stdout).toContain('interrupted');
    expect(relative(out, join(out, failedInSummary[0]!.failureDirectory!))).toMatch(/^failures\/planted-bug\/\d+$/);
  });
});
