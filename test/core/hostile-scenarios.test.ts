import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { checkHistory, modelByName } from '../../src/check/index.js';
import { historyPageData } from '../../src/report/history-html-data.js';
import { resolveWorkerCount } from '../../src/sweep/start-executor.js';
import { safePathComponent } from '../../src/util/safe-name.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASE = ['nodes: 3', 'protocol: { name: raft }', 'workload: { kind: register, clients: 2 }', 'duration: 200ms'];

function temporary(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `faultline-${prefix}-`));
}

/** Writes `text` as a scenario file and runs it; returns the exit code and output. */
async function runText(text: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string; directory: string }> {
  const directory = temporary('hostile');
  const file = join(directory, 'scenario.yaml');
  writeFileSync(file, text);
  return { ...(await runFile(file, [...extra, '--out', join(directory, 'out')])), directory };
}

async function runFile(file: string, extra: string[] = [], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo(cwd);
  const code = await runCli(['run', file, ...extra], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The promise: exit 2, nothing on stdout, one line on stderr, no stack trace. */
function expectOneLine(outcome: { code: number; stdout: string; stderr: string }, expected: RegExp): void {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe('');
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^faultline: /);
  expect(lines[0]).toMatch(expected);
}

/** Nine lists of nine aliases of the list before: 9^10 strings if expanded. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  return lines.join('\n');
}

describe('YAML the parser itself rejects: one line, exit 2', () => {
  it('an undefined alias names the alias and its place', async () => {
    expectOneLine(await runText([...BASE, 'description: *nowhere'].join('\n')), /scenario\.yaml:5:14: YAML error: alias \*nowhere has no anchor &nowhere before it/);
  });

  it('an alias inside its own anchor (a cycle) is an undefined alias', async () => {
    expectOneLine(await runText([...BASE, 'description: &loop [*loop]'].join('\n')), /scenario\.yaml:5:\d+: YAML error: alias \*loop has no anchor/);
  });

  it('an alias bomb as the top level ("billion laughs")', async () => {
    expectOneLine(await runText(billionLaughs()), /YAML error: aliases expand to more than 100 nodes/);
  });

  it('an alias bomb inside a field the protocol receives raw', async () => {
    const options = billionLaughs().split('\n').map((line) => `    ${line}`);
    const text = ['nodes: 3', 'protocol:', '  name: raft', '  options:', ...options, 'duration: 200ms'].join('\n');
    expectOneLine(await runText(text), /scenario\.yaml:1:1: YAML error: aliases expand to more than 100 nodes/);
  });

  it('3,000-deep flow nesting', async () => {
    expectOneLine(await runText([...BASE, `description: ${'['.repeat(3000)}${']'.repeat(3000)}`].join('\n')), /YAML nesting is deeper than 64 levels/);
  });

  it('1,000-deep block nesting', async () => {
    const nested = Array.from({ length: 1000 }, (_, depth) => `${' '.repeat(depth + 1)}k${depth}:`).join('\n');
    expectOneLine(await runText([...BASE, 'description:', nested].join('\n')), /YAML nesting is deeper than 64 levels/);
  });

  it('nesting just past the limit is refused at the place it starts', async () => {
    expectOneLine(await runText([...BASE, `description: ${'['.repeat(70)}${']'.repeat(70)}`].join('\n')), /scenario\.yaml:5:\d+: YAML nesting is deeper than 64 levels/);
  });
});

describe('ranges and cross-field rules are checked at load, not mid-run', () => {
  it.each([
    ['uniform latency with min > max', 'network: { latency: { distribution: uniform, min: 5ms, max: 1ms } }', /network\.latency\.max: expected max \(1ms\) to be at least min \(5ms\)/],
    ['long-tail latency with a zero median', 'network: { latency: { distribution: long-tail, median: 0ms, p99: 5ms } }', /network\.latency\.median: expected a median above 0/],
    ['long-tail latency with p99 below the median', 'network: { latency: { distribution: long-tail, median: 5ms, p99: 1ms } }', /network\.latency\.p99: expected p99 \(1ms\) to be at least the median/],
    ['a network fault with min > max', 'faults: [{ at: 10ms, action: network, latency: { distribution: uniform, min: 9ms, max: 2ms } }]', /faults\[0\]\.latency\.max: expected max/],
    ['a fractional mix weight', 'workload: { kind: register, clients: 2, mix: { read: 0.5, write: 1 } }', /workload\.mix\.read: expected a weight \(an integer ≥ 0\)/],
    ['a vanishing rate', 'workload: { kind: register, clients: 2, rate: 1e-320 }', /workload\.rate: expected a rate of at least 0\.001/],
  ])('%s', async (_, line, expected) => {
    const lines = line.startsWith('workload') ? [...BASE.filter((l) => !l.startsWith('workload')), line] : [...BASE, line];
    expectOneLine(await runText(lines.join('\n')), expected);
  });

  it('a request timeout that is not a multiple of 10µs runs (the retry backoff stays an integer)', async () => {
    const lines = [...BASE.filter((l) => !l.startsWith('workload')), 'workload: { kind: register, clients: 2, requestTimeout: 1001us }'];
    const outcome = await runText(lines.join('\n'));
    expect(outcome.stdout).not.toMatch(/ASSERTION/);
    expect(outcome.code).toBe(0);
  });
});

describe('resource exhaustion: every count has a named bound', () => {
  it.each([
    ['duration: 1e300 in swarm mode', ['nodes: 3', 'protocol: { name: raft }', 'swarm: true', 'duration: 1e300'], /duration: expected a duration of at most 60m/],
    ['a fault at 1e300ms', [...BASE, 'faults: [{ at: 1e300, action: heal }]'], /faults\[0\]\.at: expected a duration of at most 60m/],
    ['65 nodes', ['nodes: 65', ...BASE.slice(1)], /nodes: expected a node count of at most 64 \(faultline's limit\)/],
    ['1,001 clients', [...BASE.filter((l) => !l.startsWith('workload')), 'workload: { clients: 1001 }'], /workload\.clients: expected a client count of at most 1,000/],
    ['10 million keys', [...BASE.filter((l) => !l.startsWith('workload')), 'workload: { keys: 10000000 }'], /workload\.keys: expected a key count of at most 1,000,000/],
    ['an event limit of 1e12', [...BASE, 'limits: { events: 1000000000000 }'], /limits\.events: expected an event limit of at most 1,000,000,000/],
    ['10,001 faults', [...BASE, `faults:\n${'  - { at: 0ms, action: heal }\n'.repeat(10_001)}`], /faults: expected at most 10,000 faults \(faultline's limit\)/],
  ])('%s', async (_, lines, expected) => {
    expectOneLine(await runText(lines.join('\n')), expected);
  });

  it('a scenario file over 4 MiB is refused before it is parsed', async () => {
    const outcome = await runText([...BASE, `description: "${'x'.repeat(4 * 1024 * 1024)}"`].join('\n'));
    expectOneLine(outcome, /scenario\.yaml: the file is 4 MiB; a scenario file may be at most 4 MiB/);
  });

  it('a device, a folder and a FIFO are refused without reading them', async () => {
    expectOneLine(await runFile('/dev/zero', ['--out', temporary('never')]), /\/dev\/zero: is not a regular file/);
    const directory = temporary('folder');
    expectOneLine(await runFile(directory), /is a directory; expected a scenario file/);
    const fifo = join(directory, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(await runFile(fifo), /fifo\.yaml: is not a regular file \(a FIFO, device or socket\)/);
  });
});

describe('output paths', () => {
  it('a scenario name with ../ stays one folder under reports/', async () => {
    const cwd = temporary('names');
    const file = join(cwd, 'scenario.yaml');
    writeFileSync(file, ['name: ../../escaped', ...BASE].join('\n'));
    const outcome = await runFile(file, [], cwd);
    expect(outcome.code).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['reports', 'scenario.yaml']);
    expect(readdirSync(join(cwd, 'reports'))).toEqual(['.._.._escaped']);
    expect(existsSync(join(cwd, 'reports', '.._.._escaped', '1', 'result.json'))).toBe(true);
  });

  it('names made of dots or separators become a safe component', () => {
    expect(safePathComponent('..')).toBe('_..');
    expect(safePathComponent('.')).toBe('_.');
    expect(safePathComponent('a/b\\c')).toBe('a_b_c');
    expect(safePathComponent('')).toBe('scenario');
  });

  it('an --out that cannot be created is one line, before the run', async () => {
    const file = join(temporary('out'), 'scenario.yaml');
    writeFileSync(file, BASE.join('\n'));
    expectOneLine(await runFile(file, ['--out', '/dev/null/x']), /\/dev\/null\/x: --out: cannot create or write the folder \(ENOTDIR/);
  });
});

describe('sweep workers', () => {
  it('are capped at the number of cores', () => {
    expect(resolveWorkerCount(1000, 2)).toEqual({ count: 2, capped: 1000 });
    expect(resolveWorkerCount(2, 2)).toEqual({ count: 2 });
    expect(resolveWorkerCount('auto', 4)).toEqual({ count: 4 });
  });

  it('the CLI says so', async () => {
    const directory = temporary('workers');
    const file = join(directory, 'scenario.yaml');
    writeFileSync(file, BASE.join('\n'));
    const io = bufferIo(ROOT);
    const code = await runCli(['sweep', file, '--seeds', '1', '--workers', '1000', '--no-check-determinism', '--out', join(directory, 'out')], io);
    expect(code).toBe(0);
    expect(io.stderr).toMatch(/--workers 1000 is more than the \d+ cores of this machine; using \d+/);
  });
});

describe('bidirectional control characters are shown escaped', () => {
  it('in the terminal summary', async () => {
    const outcome = await runText(['name: "\u202Eevil"', ...BASE].join('\n'));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('\\u202Eevil');
    expect(outcome.stdout).not.toContain('\u202E');
  });

  it('in an error line', async () => {
    const outcome = await runText([...BASE, 'faults: [{ at: 10ms, action: "\u2067crash" }]'].join('\n'));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('in the HTML page data', () => {
    const key = '\u202Eevil';
    const history = [
      { process: 0, type: 'invoke' as const, f: 'write', key, value: '\u2066x', time: 0 },
      { process: 0, type: 'ok' as const, f: 'write', key, value: '\u2066x', time: 1 },
    ];
    const model = modelByName('register')!;
    const data = historyPageData(checkHistory(history, model), history, model, 'title \u200F');
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/[\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(data.partitions[0]!.key).toBe('\\u202Eevil');
    expect(data.label[0]).toContain('\\u2066x');
    expect(data.title).toBe('title \\u200F');
  });
});

describe('a list or map as a key (found by the scenario fuzz test)', () => {
  it('is one line naming its place, with no YAML library warning on stderr', async () => {
    expectOneLine(await runText([...BASE, '? [a, b]', ': 1'].join('\n')), /scenario\.yaml:5:3: YAML error: a key must be a field name, not a list or map/);
    expectOneLine(await runText([...BASE, '!!binary eHl6: 1'].join('\n')), /scenario\.yaml:5:\d+: YAML error: a key must be a field name, not binary data/);
  });
});
