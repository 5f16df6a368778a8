import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { fixtureHistories } from './corpus-files.js';

const directory = path.join(fixtureHistories, 'malformed');

/** Each malformed file, the flags it is checked with, the line at fault and words the message must say. */
const cases: { file: string; flags: string[]; line: number; says: RegExp }[] = [
  { file: 'truncated.edn', flags: ['--model', 'register'], line: 2, says: /truncated.*never closed/ },
  { file: 'completion-without-invocation.edn', flags: ['--model', 'register'], line: 3, says: /without a matching invocation/ },
  { file: 'invoked-twice.jsonl', flags: ['--model', 'register'], line: 2, says: /from line 1 is still open/ },
  { file: 'cas-value-not-a-pair.edn', flags: ['--model', 'cas-register'], line: 4, says: /expected a cas value \[expected new\]/ },
  { file: 'unknown-function.edn', flags: ['--model', 'register'], line: 3, says: /unknown function :frobnicate.*:read, :write/ },
  { file: 'empty.jsonl', flags: ['--model', 'register'], line: 1, says: /empty/ },
  { file: 'invalid-json.jsonl', flags: ['--model', 'register'], line: 3, says: /invalid JSON/ },
  { file: 'unknown-type.jsonl', flags: ['--model', 'register'], line: 2, says: /type.*expected one of invoke, ok, fail, info/ },
  { file: 'kv-put-number.edn', flags: ['--model', 'kv'], line: 2, says: /expected a string value for :put/ },
  { file: 'etcd-unknown-type.log', flags: ['--format', 'porcupine-etcd'], line: 3, says: /:finish/ },
  { file: 'completion-for-other-function.jsonl', flags: ['--model', 'register'], line: 2, says: /completes :read but invoked :write/ },
  { file: 'counter-add-string.jsonl', flags: ['--model', 'counter'], line: 3, says: /expected an integer delta/ },
  { file: 'mismatched-bracket.edn', flags: ['--model', 'register'], line: 1, says: /expected '\}' to close the map.*found '\]'/ },
  { file: 'time-goes-backwards.jsonl', flags: ['--model', 'register'], line: 2, says: /goes backwards/ },
  { file: 'binary-garbage.jsonl', flags: ['--model', 'register'], line: 2, says: /not JSON: the line holds binary data/ },
  { file: 'etcd-truncated-value.log', flags: ['--format', 'porcupine-etcd'], line: 1, says: /truncated/ },
];

describe('malformed histories are rejected with exit code 2 and a message naming the file and line', () => {
  it('covers at least ten kinds of damage', () => expect(cases.length).toBeGreaterThanOrEqual(10));
  for (const { file, flags, line, says } of cases) {
    it(file, async () => {
      const run = await runCheckCli([path.join(directory, file), ...flags]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines, 'one line, no stack trace').toHaveLength(1);
      expect(run.stderr).toContain(`${file}:${line}`);
      expect(run.stderr).toMatch(says);
      expect(run.stderr, 'raw bytes are never echoed').not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
    });
  }
});

describe('bad usage is exit code 2 as well', () => {
  it('an unknown model', async () => {
    const run = await runCheckCli([path.join(fixtureHistories, 'porcupine/kv/c01-ok.txt'), '--format', 'porcupine-kv', '--model', 'btree']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/unknown model "btree"; expected one of register, cas-register, kv/);
  });
  it('an EDN history without --model', async () => {
    const run = await runCheckCli([path.join(directory, 'unknown-function.edn')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--model is required for edn/);
  });
  it('a missing file', async () => {
    const run = await runCheckCli([path.join(directory, 'no-such-file.jsonl'), '--model', 'register']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/cannot read the history: no such file/);
  });
  it('a budget that is not a number', async () => {
    const run = await runCheckCli([path.join(fixtureHistories, 'porcupine/kv/c01-ok.txt'), '--format', 'porcupine-kv', '--timeout-ms', 'soon']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--timeout-ms must be a positive number/);
  });
});
