import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runSeeds } from '../../src/sweep/run-seeds.js';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { cli, fixtureScenario, LOG_PROTOCOLS, registerTestProtocols, ROOT, temporaryDirectory } from '../sweep/helpers.js';

describe('faultline shrink <result.json>', () => {
  beforeAll(registerTestProtocols);

  it('writes shrunk.yaml beside a sweep failure and prints the before/after sizes', async () => {
    const out = temporaryDirectory('shrink-cli');
    const summary = await runSeeds(fixtureScenario('planted-bug'), { seeds: 1, start: 4, out });
    const failure = join(out, summary.scenarios[0]!.runs[0]!.failureDirectory!);

    const result = await cli(['shrink', join(failure, 'result.json'), '--import', LOG_PROTOCOLS, '--time-limit', '40s']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/faultline shrink: invariant follower-log-is-leader-prefix/);
    expect(result.stdout).toMatch(/events\s+\d+\s+→\s+\d+\s+\(\d+\.\d× smaller\)/);
    expect(result.stderr).toMatch(/^shrink: drop everything before the failure: \d+ events/m);
    expect(result.stdout).toMatch(/stopped\s+no pass could make it smaller after \d+ runs: \d+ events, \d+ operations, \d+ faults/);
    expect(result.stderr, 'no live line off a terminal').not.toContain('\r');
    const shrunk = join(failure, 'shrunk.yaml');
    expect(existsSync(shrunk)).toBe(true);
    expect(runScenario(parseScenario(readFileSync(shrunk, 'utf8'), shrunk)).result.verdict.detail).toMatch(/^invariant follower-log-is-leader-prefix violated/);
  });

  it('on a terminal shows runs tried and the current size as it goes, and clears that line before the summary', async () => {
    const out = temporaryDirectory('shrink-tty');
    const summary = await runSeeds(fixtureScenario('planted-bug'), { seeds: 1, start: 4, out });
    const failure = join(out, summary.scenarios[0]!.runs[0]!.failureDirectory!);
    const io = bufferIo(ROOT);
    (io as { isTty: boolean }).isTty = true;
    const code = await runCli(['shrink', join(failure, 'result.json'), '--import', LOG_PROTOCOLS, '--time-limit', '120s', '--out', join(out, 'min.yaml')], io);
    expect(code).toBe(0);
    expect(io.stderr).toMatch(/\r\u001b\[Kshrink: \d+ runs tried, now \d+ events, \d+ operations \(/);
    // Whatever came last (a live line cleared, or a pass's own line after a clear), no live line is
    // left standing under the summary: the text after the last clear is empty or a finished line.
    const afterLastClear = io.stderr.slice(io.stderr.lastIndexOf('\r\u001b[K') + '\r\u001b[K'.length);
    expect(afterLastClear === '' || afterLastClear.endsWith('\n'), 'the live line is cleared before the summary').toBe(true);
    // This fixture shrinks to its end in well under the limit on any machine (60 runs).
    expect(io.stdout).toMatch(/stopped\s+no pass could make it smaller after \d+ runs: \d+ events/);
  });

  it('says when it stopped at the time limit, and how small it got by then', async () => {
    const out = temporaryDirectory('shrink-limit');
    const summary = await runSeeds(fixtureScenario('planted-bug'), { seeds: 1, start: 4, out });
    const failure = join(out, summary.scenarios[0]!.runs[0]!.failureDirectory!);
    const io = bufferIo(ROOT);
    // A limit of one microsecond is spent before the first candidate on any machine.
    const code = await runCli(['shrink', join(failure, 'result.json'), '--import', LOG_PROTOCOLS, '--time-limit', '1us', '--out', join(out, 'min.yaml')], io);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/stopped\s+the time limit \(1us\) was reached after 0 runs; the smallest found so far: \d+ events/);
  });

  it('refuses a file that is not a result.json, in one line with exit code 2', async () => {
    const result = await cli(['shrink', fixtureScenario('planted-bug')]);

    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not valid JSON/);
  });
});
