import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoViolations, runSeeds, SweepFailure } from '../../src/sweep/run-seeds.js';
import { fixtureScenario, LOG_PROTOCOLS, ROOT, temporaryDirectory } from './helpers.js';

// A protocol of one's own lives outside src/ (test/fixtures/protocols/log-protocols.mjs) and is
// only known to a faultline process that imports it. Each step below runs in a fresh process, so
// it can only work when the command printed by the step before carries the --import.
const SETUP = relative(ROOT, LOG_PROTOCOLS);

function faultline(commandLine: string): { status: number | null; stdout: string; stderr: string } {
  const words = commandLine.trim().split(/\s+/);
  expect(words[0]).toBe('faultline');
  const child = spawnSync(process.execPath, [join(ROOT, 'bin/faultline.js'), ...words.slice(1)], { cwd: ROOT, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function printed(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  expect(match, `no line matching ${pattern} in:\n${text}`).not.toBeNull();
  return match![1]!;
}

describe('reproduce commands keep --import', () => {
  it('a user protocol is swept, replayed and shrunk from the printed commands alone', () => {
    const out = temporaryDirectory('import-reproduce');
    // Seed 1 of this scenario breaks the planted bug's invariant (pinned by the sweep tests).
    const swept = faultline(`faultline sweep ${relative(ROOT, fixtureScenario('planted-bug-short'))} --seeds 1 --workers 1 --import ${SETUP} --out ${out}`);
    expect(swept.status).toBe(1);
    const replay = printed(swept.stdout, /replay: (faultline replay .*)$/m);
    expect(replay).toContain(`--import ${SETUP}`);

    const replayed = faultline(replay);
    expect(replayed.stderr).toBe('');
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toMatch(/matches: the run reproduced exactly/);

    const resultFile = join(out, 'failures/planted-bug-short/1/result.json');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { imports: { given: string; resolved: string }[] };
    expect(result.imports).toEqual([{ given: SETUP, resolved: `file://${LOG_PROTOCOLS}` }]);
    expect(readFileSync(join(out, 'failures/planted-bug-short/1/replay.sh'), 'utf8')).toContain(`--import ${LOG_PROTOCOLS} "$@"`);

    // shrink and replay without --import: they load the module result.json records.
    const bare = faultline(`faultline replay ${resultFile}`);
    expect(bare.status).toBe(0);
    const shrunk = faultline(`faultline shrink ${resultFile} --out ${join(out, 'min.yaml')} --time-limit 5s --quiet`);
    expect(shrunk.stderr).toBe('');
    expect(shrunk.status).toBe(0);
    const header = printed(readFileSync(join(out, 'min.yaml'), 'utf8'), /^# Reproduce: faultline run <this file>(.*)$/m);
    expect(header).toBe(` --import ${SETUP}`);
    const rerun = faultline(printed(shrunk.stdout, /reproduce\s+(faultline run .*)$/m));
    expect(rerun.stdout).toMatch(/verdict\s+INVARIANT/);
    expect(rerun.status).toBe(1);
  });

  it('assertNoViolations names the module in both reproduce commands', async () => {
    const summary = await runSeeds(fixtureScenario('planted-bug-short'), { seeds: 1, setupModules: [SETUP] });
    let message = '';
    try {
      assertNoViolations(summary);
    } catch (error) {
      expect(error).toBeInstanceOf(SweepFailure);
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`reproduce: faultline run \\S+planted-bug-short.yaml --seed 1 --import ${SETUP}`));
  });
});
