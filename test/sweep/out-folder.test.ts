import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/sweep/out-folder.js';
import { cli, failureResultFiles, fixtureScenario, LOG_PROTOCOLS, readSummary, ROOT, temporaryDirectory } from './helpers.js';

const QUICK = ['--workers', '0', '--no-check-determinism', '--import', LOG_PROTOCOLS];

/** Exit 2 and one line on stderr, as every refusal. */
function expectRefused(run: { code: number; stdout: string; stderr: string }, says: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

describe('SIGTERM during a sweep is handled as SIGINT is', () => {
  it('in the first moments of a sweep: a valid, consistent summary.json and junit.xml of what ran, exit 143', async () => {
    const out = temporaryDirectory('sigterm');
    const child = spawn(process.execPath, ['bin/faultline.js', 'sweep', fixtureScenario('ambient-log'), '--seeds', '100000', '--workers', '1', '--no-check-determinism', '--import', LOG_PROTOCOLS, '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The lock file is taken once the handlers are in place; the signal comes right after,
    // while workers may still be starting.
    await until(() => existsSync(join(out, LOCK_FILE)));
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(143);
    const summary = readSummary(out);
    expect(summary.status).toBe('interrupted');
    expect(summary.stopReason).toMatch(/SIGTERM/);
    expect(summary.totals.run + summary.totals.notRun).toBe(100_000);
    expect(summary.totals.notRun).toBeGreaterThan(0);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(`failures="${summary.totals.failed}"`);
    expect(stdout).toContain('interrupted');
    expect(existsSync(join(out, LOCK_FILE)), 'the lock is given back').toBe(false);
  });
});

describe('a sweep owns its --out folder', () => {
  it('re-running into a non-empty --out is refused with one line; --force clears what the old sweep wrote', async () => {
    const out = temporaryDirectory('rerun');
    // Seeds 1-4 of the planted bug: some fail, so failures/ is written.
    const first = await cli(['sweep', fixtureScenario('planted-bug-short'), '--seeds', '4', ...QUICK, '--out', out]);
    expect(first.code).toBe(1);
    expect(failureResultFiles(out).length).toBeGreaterThan(0);
    writeFileSync(join(out, 'notes.txt'), 'mine\n');

    const again = await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '2', ...QUICK, '--out', out]);
    expectRefused(again, /--out: the folder is not empty \(failures, junit\.xml, notes\.txt, \.\.\.\); pass --force/);
    expect(readSummary(out).scenarios[0]!.name).toBe('planted-bug-short'); // untouched

    const forced = await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '2', ...QUICK, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    const summary = readSummary(out);
    expect(summary.scenarios.map((scenario) => scenario.name)).toEqual(['ambient-log']);
    expect(failureResultFiles(out), 'no failure folder the new summary does not list').toEqual([]);
    expect(existsSync(join(out, 'failures'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8'), 'files a sweep did not write are left alone').toBe('mine\n');
  });

  it('an empty --out folder is fine without --force', async () => {
    const out = join(temporaryDirectory('empty'), 'made');
    mkdirSync(out);
    expect((await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '1', ...QUICK, '--out', out])).code).toBe(0);
  });

  it('a second sweep while one holds the lock is refused with one line naming its pid', async () => {
    const out = temporaryDirectory('locked');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(out, LOCK_FILE), `${holder.pid}\n`);
      expectRefused(await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '1', ...QUICK, '--out', out]), new RegExp(`another sweep \\(pid ${holder.pid}\\) is writing to this folder`));
      expect(readFileSync(join(out, LOCK_FILE), 'utf8'), "the other sweep's lock is left alone").toBe(`${holder.pid}\n`);
    } finally {
      holder.kill();
    }
  });

  it('two sweeps started together into one --out: one runs, the other is refused', async () => {
    const out = temporaryDirectory('race');
    const args = ['bin/faultline.js', 'sweep', fixtureScenario('ambient-log'), '--seeds', '3', ...QUICK, '--out', out];
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([start(), start()]);
    const codes = results.map((result) => result.code).sort();
    expect(codes).toEqual([0, 2]);
    const refused = results.find((result) => result.code === 2)!;
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/another sweep (\(pid \d+\) is writing to|is starting in) this folder|the folder is not empty/);
    expect(readSummary(out).totals.run).toBe(3);
  });

  it('a lock left by a sweep that was killed is taken over', async () => {
    const out = temporaryDirectory('stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(out, LOCK_FILE), `${dead.stdout}\n`);
    expect((await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '1', ...QUICK, '--out', out])).code).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});
