import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { parseHistoryText } from '../../src/check/parse/parse-history.js';
import { HISTORY_LIMITS } from '../../src/check/parse/history-limits.js';
import { InputError } from '../../src/util/errors.js';
import { fixtureHistories } from './corpus-files.js';

const linearizable = path.join(fixtureHistories, 'jepsen/failed-cas.edn');
const flags = ['--model', 'cas-register'];

function temporary(): string {
  return mkdtempSync(path.join(tmpdir(), 'faultline-hostile-history-'));
}

/** Exit 2, one line on stderr starting `faultline: `, nothing on stdout. */
function expectOneLine(run: { exitCode: number; stdout: string; stderr: string }, says: RegExp): void {
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^faultline: /);
  expect(lines[0]).toMatch(says);
}

describe('check --html: the output path is checked before the check, and the verdict is never lost', () => {
  it('a folder as --html is one line and exit 2, before any checking', async () => {
    const directory = temporary();
    expectOneLine(await runCheckCli([linearizable, ...flags, '--html', directory]), /--html: is a folder; expected a file name/);
  });

  it('a folder name that does not exist yet (trailing slash) is refused too', async () => {
    const directory = path.join(temporary(), 'missing') + '/';
    expectOneLine(await runCheckCli([linearizable, ...flags, '--html', directory]), /--html: names a folder; expected a file name/);
    expect(existsSync(directory)).toBe(false);
  });

  it('a path below a file (/dev/null/x) is one line and exit 2', async () => {
    expectOneLine(await runCheckCli([linearizable, ...flags, '--html', '/dev/null/page.html']), /--html: cannot create or write the folder \(E(NOTDIR|EXIST)/);
  });

  it('a missing parent folder is created, the page written and the verdict printed', async () => {
    const file = path.join(temporary(), 'reports', 'deeper', 'lin.html');
    const run = await runCheckCli([linearizable, ...flags, '--html', file]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/LINEARIZABLE/);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

describe('deeply nested histories are refused with a bounded depth', () => {
  it(`100,000-deep EDN nesting inside an operation is one line naming the limit (${HISTORY_LIMITS.depth})`, async () => {
    const directory = temporary();
    const file = path.join(directory, 'deep.edn');
    writeFileSync(file, `{:process 0 :type :invoke :f :write :value ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    expectOneLine(await runCheckCli([file, '--model', 'register']), new RegExp(`deep\\.edn:1:\\d+: nesting deeper than ${HISTORY_LIMITS.depth} levels`));
  });

  it('100,000 bare open brackets are refused at the limit, not reported as truncation at column 100,000', async () => {
    const file = path.join(temporary(), 'brackets.edn');
    writeFileSync(file, '['.repeat(100_000));
    expectOneLine(await runCheckCli([file, '--model', 'register']), new RegExp(`brackets\\.edn:1:${HISTORY_LIMITS.depth + 1}: nesting deeper`));
  });

  it('the outer vector of a whole-file history counts as one level', () => {
    const inside = `${'['.repeat(HISTORY_LIMITS.depth - 2)}1${']'.repeat(HISTORY_LIMITS.depth - 2)}`;
    const ok = `[{:process 0 :type :invoke :f :write :value ${inside}}]`;
    expect(() => parseHistoryText(ok, 'edn', 'ok.edn')).not.toThrow();
    const tooDeep = `[{:process 0 :type :invoke :f :write :value [${inside}]}]`;
    expect(() => parseHistoryText(tooDeep, 'edn', 'deep.edn')).toThrow(/nesting deeper than/);
  });

  it('100,000-deep JSON in a JSON-lines history is one line as well', async () => {
    const file = path.join(temporary(), 'deep.jsonl');
    writeFileSync(file, `{"process":0,"type":"invoke","time":0,"f":"write","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    expectOneLine(await runCheckCli([file, '--model', 'register']), /deep\.jsonl:1: nesting deeper than/);
  });
});

describe('a history that is not a regular file is refused, not read forever', () => {
  it('a FIFO (nobody writing to it) is one line and exit 2 at once', async () => {
    const fifo = path.join(temporary(), 'history.edn');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(await runCheckCli([fifo, '--model', 'register']), /history\.edn: cannot read the history: is not a regular file/);
  });

  it('a folder is one line too', async () => {
    expectOneLine(await runCheckCli([temporary(), '--model', 'register', '--format', 'edn']), /cannot read the history: is a directory/);
  });
});

describe('EDN error positions are always at least line 1, column 1', () => {
  it('a string left open across lines is reported where it opened (this was column -5)', async () => {
    const file = path.join(temporary(), 'open-string.edn');
    writeFileSync(file, '{:process 0 :type :invoke :f :read :value "abc\n\nabcdefgh');
    expectOneLine(await runCheckCli([file, '--model', 'register']), /open-string\.edn:1:43: truncated: string never closed/);
  });

  it('over damaged copies of the shipped EDN histories, every reported line and column is >= 1', () => {
    const sources = readdirSync(path.join(fixtureHistories, 'jepsen'))
      .filter((name) => name.endsWith('.edn'))
      .map((name) => readFileSync(path.join(fixtureHistories, 'jepsen', name), 'utf8'));
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', '\n"', '[', '}', '#', '#_', '\\', '"\n\n', ';', '\r\n', '{', ')') }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(damage, { minLength: 1, maxLength: 4 }), (source, damages) => {
        let text = source;
        for (const change of damages) {
          const at = change.at % (text.length + 1);
          if (change.kind === 'cut') text = text.slice(0, at);
          else if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
          else text = text.slice(0, at) + text.slice(at + change.length);
        }
        try {
          parseHistoryText(text, 'edn', 'damaged.edn');
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          if (error.line !== undefined) expect(error.line).toBeGreaterThanOrEqual(1);
          if (error.column !== undefined) expect(error.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400, seed: 13 },
    );
  });
});

