import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const kvBad = join(ROOT, 'test/fixtures/histories/porcupine/kv/c01-bad.txt');
const kvGood = join(ROOT, 'test/fixtures/histories/porcupine/kv/c01-ok.txt');

function temporary(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `faultline-${prefix}-`));
}

async function cli(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo(cwd);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('run exits by the rule sweep counts by: the expected verdict is a success', () => {
  it('an expected failure (NOT-LINEARIZABLE (as expected)) exits 0; --raw-exit-code gives the verdict code 1', async () => {
    const out = temporary('expected');
    const run = await cli(['run', 'scenarios/raft-lease-clock-skew.yaml', '--out', join(out, 'a'), '--no-html']);
    expect(run.stdout).toMatch(/verdict\s+NOT-LINEARIZABLE \(as expected\)/);
    expect(run.code).toBe(0);
    const raw = await cli(['run', 'scenarios/raft-lease-clock-skew.yaml', '--out', join(out, 'b'), '--no-html', '--raw-exit-code']);
    expect(raw.code).toBe(1);
  });

  it('a pass where a failure was expected is said plainly and exits 1', async () => {
    const directory = temporary('uncaught');
    const file = join(directory, 'uncaught.yaml');
    const healthy = readFileSync(join(ROOT, 'scenarios/pb-healthy.yaml'), 'utf8');
    writeFileSync(file, healthy.replace(/^duration: 10s$/m, 'duration: 1s').replace(/^expect: pass$/m, 'expect: not-linearizable'));
    const run = await cli(['run', file, '--out', join(directory, 'out'), '--no-html']);
    expect(run.stdout).toMatch(/verdict\s+PASS \(expected not-linearizable\)/);
    expect(run.stdout).toMatch(/the scenario expects not-linearizable, and this seed passed: the failure was not reproduced/);
    expect(run.code).toBe(1);
    expect((await cli(['run', file, '--out', join(directory, 'raw'), '--no-html', '--raw-exit-code'])).code).toBe(0);
  });

  it('a plain pass still exits 0 and says nothing about expectations', async () => {
    const directory = temporary('pass');
    const file = join(directory, 'short.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'scenarios/pb-healthy.yaml'), 'utf8').replace(/^duration: 10s$/m, 'duration: 1s'));
    const run = await cli(['run', file, '--out', join(directory, 'out'), '--no-html']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/verdict\s+PASS \(as expected\)/);
    expect(run.stdout).not.toMatch(/not reproduced/);
  });
});

describe('check --expect follows the same rule', () => {
  it('--expect not-linearizable on a violation exits 0 and says (as expected)', async () => {
    const run = await runCheckCli([kvBad, '--format', 'porcupine-kv', '--expect', 'not-linearizable']);
    expect(run.stdout).toMatch(/verdict: NOT LINEARIZABLE/);
    expect(run.stdout).toMatch(/^expected: NOT-LINEARIZABLE \(as expected\)$/m);
    expect(run.exitCode).toBe(0);
  });

  it('--expect not-linearizable on a linearizable history says the failure was not reproduced and exits 1', async () => {
    const run = await runCheckCli([kvGood, '--format', 'porcupine-kv', '--expect', 'not-linearizable']);
    expect(run.stdout).toMatch(/^expected: NOT-LINEARIZABLE, but the history is LINEARIZABLE: the failure was not reproduced$/m);
    expect(run.exitCode).toBe(1);
  });

  it('without --expect a violation still exits 1; --expect linearizable on a violation exits 1', async () => {
    expect((await runCheckCli([kvBad, '--format', 'porcupine-kv'])).exitCode).toBe(1);
    expect((await runCheckCli([kvBad, '--format', 'porcupine-kv', '--expect', 'linearizable'])).exitCode).toBe(1);
  });

  it('--expect with --consistency, or an unknown verdict, is one line and exit 2', async () => {
    const both = await runCheckCli([kvBad, '--format', 'porcupine-kv', '--expect', 'linearizable', '--consistency', 'all']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/--expect applies to the linearizability check/);
    expect((await runCheckCli([kvBad, '--format', 'porcupine-kv', '--expect', 'broken'])).exitCode).toBe(2);
  });
});

describe('the README tour', () => {
  const tour = /## A tour\n\n```sh\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1]!;

  it('writes its pages and shrunk scenarios under reports/, which git ignores', () => {
    const written = [...tour.matchAll(/--(?:html|out) (\S+)/g)].map((match) => match[1]);
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const path of written) expect(path).toMatch(/^reports\//);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^reports\/\*$/m);
  });

  it('its check of a history expected to fail says so (--expect), so the tour passes under set -e', () => {
    for (const line of tour.split('\n').filter((text) => / check .*lease-clock-skew/.test(text))) expect(line).toMatch(/--expect not-linearizable/);
  });
});

describe('list --dir', () => {
  it('an absolute path lists the same scenarios as the relative one', async () => {
    const relative = await cli(['list', '--dir', 'scenarios', '--json']);
    const absolute = await cli(['list', '--dir', join(ROOT, 'scenarios'), '--json']);
    const names = (text: string) => (JSON.parse(text) as { scenarios: { file: string }[] }).scenarios.map((listing) => listing.file.split('/').pop());
    expect(names(absolute.stdout).length).toBeGreaterThan(10);
    expect(names(absolute.stdout)).toEqual(names(relative.stdout));
  });

  it('from another working directory, an absolute --dir still works', async () => {
    const listed = await cli(['list', '--dir', join(ROOT, 'scenarios')], temporary('elsewhere'));
    expect(listed.stdout).toMatch(new RegExp(`${join(ROOT, 'scenarios')}/raft-healthy\\.yaml`));
  });

  it('a missing folder, a file and an empty folder are said plainly', async () => {
    const directory = temporary('list');
    expect((await cli(['list', '--dir', join(directory, 'nope')])).stdout).toMatch(/Scenarios:\n {2}none: the folder .*nope does not exist/);
    writeFileSync(join(directory, 'file.yaml'), 'nodes: 3\n');
    expect((await cli(['list', '--dir', join(directory, 'file.yaml')])).stdout).toMatch(/none: .*file\.yaml is a file, not a folder/);
    mkdirSync(join(directory, 'empty'));
    expect((await cli(['list', '--dir', join(directory, 'empty')])).stdout).toMatch(/none: no \.yaml scenario files in .*empty/);
  });
});

describe('replay names what it knows about a divergence', () => {
  it('without the original trace it gives the window and says the exact event cannot be told, not an event that reads as the culprit', async () => {
    const out = temporary('diverge');
    const directory = join(out, 'run');
    const short = join(out, 'short.yaml');
    writeFileSync(short, readFileSync(join(ROOT, 'scenarios/pb-healthy.yaml'), 'utf8').replace(/^duration: 10s$/m, 'duration: 2s'));
    expect((await cli(['run', short, '--seed', '3', '--out', directory, '--no-html'])).code).toBe(0);
    const result = JSON.parse(readFileSync(join(directory, 'result.json'), 'utf8'));
    result.scenarioSource = result.scenarioSource.replace('thinkTime: 20ms', 'thinkTime: 19ms');
    writeFileSync(join(directory, 'result.json'), JSON.stringify(result));
    const replayed = await cli(['replay', join(directory, 'result.json')]);
    expect(replayed.code).toBe(1);
    expect(replayed.stderr).toMatch(/the runs agree before event #\d+; the first differing event is one of #\d+\.\.#\d+, and which one cannot be told/);
    expect(replayed.stderr).not.toMatch(/replay's event/);
  });
});

describe('run --swarm re-runs a swarm seed of a sweep without editing the YAML', () => {
  it('gives the trace hash the sweep recorded for that seed, and says what the seed drew', async () => {
    const directory = temporary('swarm');
    const file = join(directory, 'short.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'scenarios/pb-healthy.yaml'), 'utf8').replace(/^duration: 10s$/m, 'duration: 1s'));
    await cli(['sweep', file, '--swarm', '--seeds', '1', '--start', '5', '--workers', '0', '--no-check-determinism', '--out', join(directory, 'sweep')]);
    const summary = JSON.parse(readFileSync(join(directory, 'sweep', 'summary.json'), 'utf8')) as { scenarios: { runs: { traceHash: string }[] }[] };
    const recorded = summary.scenarios[0]!.runs[0]!.traceHash;
    const swarm = await cli(['run', file, '--swarm', '--seed', '5', '--out', join(directory, 'swarm'), '--no-html']);
    expect(swarm.stdout).toMatch(/swarm\s+\S+=/);
    expect(JSON.parse(readFileSync(join(directory, 'swarm', 'result.json'), 'utf8')).traceHash).toBe(recorded);
    const plain = await cli(['run', file, '--seed', '5', '--out', join(directory, 'plain'), '--no-html']);
    expect(plain.stdout).not.toMatch(/swarm\s+\S+=/);
    expect(JSON.parse(readFileSync(join(directory, 'plain', 'result.json'), 'utf8')).traceHash).not.toBe(recorded);
  });
});

describe('check: { invariants: false }', () => {
  it('prints no invariants line: no observer watched the run', async () => {
    const directory = temporary('no-invariants');
    const file = join(directory, 'off.yaml');
    const healthy = readFileSync(join(ROOT, 'scenarios/raft-healthy.yaml'), 'utf8').replace(/^duration: 10s$/m, 'duration: 1s');
    writeFileSync(file, `${healthy}\ncheck: { invariants: false }\n`.replace(/^check:(?! \{ invariants).*$/m, ''));
    const off = await cli(['run', file, '--out', join(directory, 'off'), '--no-html']);
    expect(off.stderr).toBe('');
    expect(off.stdout).not.toMatch(/invariants\s/);
    writeFileSync(file, healthy);
    const on = await cli(['run', file, '--out', join(directory, 'on'), '--no-html']);
    expect(on.stdout).toMatch(/invariants\s+Election Safety \(always\)/);
  });
});
