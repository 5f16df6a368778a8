import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName, parseHistoryText } from '../../src/check/index.js';
import { runCheckCli } from '../../src/cli/commands/check.js';
import { fixtureHistories } from './corpus-files.js';

/**
 * Jepsen's semantics for Jepsen (EDN) histories. Each fixture in test/fixtures/histories/jepsen
 * works out its verdict in its header comment; these tests hold the checker to it.
 */
const jepsen = (file: string): string => path.join(fixtureHistories, 'jepsen', file);

async function check(file: string, ...flags: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return runCheckCli([jepsen(file), ...flags]);
}

describe('a :fail in an EDN history means the operation did not happen', () => {
  it('a failed cas does not constrain the register by default, and the output names the rule', async () => {
    const run = await check('failed-cas.edn', '--model', 'cas-register');
    expect(run.stdout).toMatch(/verdict: LINEARIZABLE/);
    expect(run.stdout).toMatch(/failed operations: absent \(Jepsen/);
    expect(run.exitCode).toBe(0);
  });

  it('--fail-semantics observed keeps it as an observation (Porcupine etcd) and so rejects the history', async () => {
    const run = await check('failed-cas.edn', '--model', 'cas-register', '--fail-semantics', 'observed');
    expect(run.stdout).toMatch(/verdict: NOT LINEARIZABLE/);
    expect(run.stdout).toMatch(/failed operations: observed/);
    expect(run.stdout).toMatch(/cas 1→2 \(failed\)/);
    expect(run.exitCode).toBe(1);
  });

  it('the Porcupine etcd format keeps the observed rule by default, and --fail-semantics absent overrides it', async () => {
    const etcd = path.join(fixtureHistories, 'porcupine/jepsen/etcd_002.log');
    const byDefault = await runCheckCli([etcd, '--format', 'porcupine-etcd', '--json']);
    expect(JSON.parse(byDefault.stdout).failSemantics).toBe('observed');
    const overridden = await runCheckCli([etcd, '--format', 'porcupine-etcd', '--json', '--fail-semantics', 'absent']);
    expect(JSON.parse(overridden.stdout).failSemantics).toBe('absent');
  });
});

describe('the order of events in the file is the real-time order; :time is advisory', () => {
  it('times that go backwards between threads are checked in file order, with a warning that counts them', async () => {
    const run = await check('time-backwards.edn', '--model', 'register');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/warning: :time goes backwards 2 times \(first at line 6, by up to 1\); checked in file order/);
  });

  it('file order decides even where :time disagrees: a read after a write in the file must see it', async () => {
    const run = await check('time-backwards-stale.edn', '--model', 'register', '--json');
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe('not linearizable');
    expect(result.warnings).toEqual([expect.stringMatching(/goes backwards once \(first at line 9/)]);
  });
});

describe('histories Jepsen writes that were rejected before', () => {
  it('a history with only nemesis events is trivially linearizable', async () => {
    const run = await check('nemesis-only.edn', '--model', 'register');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/no client operations \(only 4 nemesis events\): trivially linearizable/);
    expect(run.stdout).toMatch(/verdict: LINEARIZABLE/);
  });

  it('mutex events without :value are accepted: a clean hand-over passes, two holders at once fail', async () => {
    expect((await check('mutex-no-value.edn', '--model', 'mutex')).exitCode).toBe(0);
    const double = await check('mutex-double-grant.edn', '--model', 'mutex');
    expect(double.exitCode).toBe(1);
    expect(double.stdout).toMatch(/#1 p1 acquire by "process 1": illegal in state held by "process 0"/);
  });
});

describe('register options', () => {
  it('--initial-value 0 makes a first read of 0 legal; without it the read cannot be explained', async () => {
    expect((await check('initial-zero.edn', '--model', 'cas-register', '--initial-value', '0')).exitCode).toBe(0);
    const nil = await check('initial-zero.edn', '--model', 'cas-register');
    expect(nil.exitCode).toBe(1);
    expect(nil.stdout).toMatch(/observes the value 0, but no operation ever writes it/);
  });

  it('--initial-value takes EDN as well as JSON, and is refused for models without one', async () => {
    expect((await check('initial-zero.edn', '--model', 'cas-register', '--initial-value', 'nil')).stdout).toMatch(/initial value nil/);
    const refused = await check('initial-zero.edn', '--model', 'kv', '--initial-value', '0');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--initial-value applies to the register, cas-register, multi-register models, not to kv/);
  });

  it('--nil-reads unknown reads nil as Jepsen does (consistent with any state)', async () => {
    expect((await check('nil-read.edn', '--model', 'register')).exitCode).toBe(1);
    const jepsenReading = await check('nil-read.edn', '--model', 'register', '--nil-reads', 'unknown');
    expect(jepsenReading.exitCode).toBe(0);
    expect(jepsenReading.stdout).toMatch(/nil reads tell nothing/);
  });
});

describe('the multi-register model: :txn of [:r k v] / [:w k v] on several registers at once', () => {
  it('accepts transactions that fit one order', async () => {
    expect((await check('txn-ok.edn', '--model', 'multi-register')).exitCode).toBe(0);
  });

  it('rejects a torn read, which a per-key check would pass: the whole history is one object', async () => {
    const run = await check('txn-torn-read.edn', '--model', 'multi-register');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\(single object\): NOT LINEARIZABLE/);
    expect(run.stdout).toMatch(/#1 p1 txn \[r x 1\] \[r y null\]: illegal in state \{x 1, y 1\}/);
  });

  it('an info txn may have applied its writes, and its reads tell nothing', () => {
    // p0's txn writing x=1 timed out; p1 later reads x=1: the write took effect. Linearizable.
    const text = [
      '{:process 0, :type :invoke, :f :txn, :value [[:w :x 1] [:r :y nil]]}',
      '{:process 0, :type :info, :f :txn, :value [[:w :x 1] [:r :y nil]]}',
      '{:process 1, :type :invoke, :f :txn, :value [[:r :x nil]]}',
      '{:process 1, :type :ok, :f :txn, :value [[:r :x 1]]}',
    ].join('\n');
    const parsed = parseHistoryText(text, 'edn');
    expect(checkHistory(parsed.events, modelByName('multi-register')!).verdict).toBe('linearizable');
    // Reading x=2, which nobody writes, is not.
    const bad = parseHistoryText(text.replace('[[:r :x 1]]}', '[[:r :x 2]]}'), 'edn');
    expect(checkHistory(bad.events, modelByName('multi-register')!).verdict).toBe('not linearizable');
  });
});
