import { describe, expect, it } from 'vitest';
import { checkConsistency, type ConsistencyReport } from '../../src/check/consistency/check-consistency.js';
import type { ConsistencyModel } from '../../src/check/consistency/models.js';
import { modelByName, type AnyModel } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { history, r, w } from './history-builder.js';

const register = modelByName('register') as AnyModel;
type Short = 'H' | 'V' | '?';
const letters: Record<string, Short> = { holds: 'H', violated: 'V', unknown: '?' };

/** The ladder as letters in order: linearizable, sequential, causal, RYW, MR, MW, WFR. */
function ladder(report: ConsistencyReport): string {
  return report.verdicts.map((verdict) => letters[verdict.verdict]).join('');
}

function check(events: HistoryEvent[], model: AnyModel = register): ConsistencyReport {
  return checkConsistency(events, model, { timeoutMs: 10_000 });
}

function violation(report: ConsistencyReport, model: ConsistencyModel): string {
  const verdict = report.verdicts.find((candidate) => candidate.model === model);
  return verdict?.verdict === 'violated' ? verdict.violation.summary : `(${verdict?.verdict})`;
}

// Each history is worked out by hand in its comment. Letters: lin, seq, causal, RYW, MR, MW, WFR.
describe('crafted histories that separate the models', () => {
  it('sequentially consistent but not linearizable: a read after a completed write returns nil', () => {
    // p0 write 1 [0,1]; p1 read → nil [2,3]. Real time puts the write first, so not linearizable;
    // without real time the order read, write keeps both processes' (one-operation) orders.
    const report = check(history([w(0, 1, 0, 1), r(1, null, 2, 3)]));
    expect(ladder(report)).toBe('VHHHHHH');
    expect(report.strongest).toEqual(['sequential']);
  });

  it('causal but not sequential: two readers see two concurrent writes in opposite orders', () => {
    // p0 write 1; p1 write 2; p2 reads 1 then 2; p3 reads 2 then 1. p2 needs w1 < w2 in one
    // total order, p3 needs w2 < w1: not sequential. Causally, w1 and w2 are concurrent (no
    // process saw one before writing the other), so each reader may see its own order.
    const report = check(history([w(0, 1, 0, 1), w(1, 2, 0, 1), r(2, 1, 2, 3), r(2, 2, 4, 5), r(3, 2, 2, 3), r(3, 1, 4, 5)]));
    expect(ladder(report)).toBe('VVHHHHH');
    expect(report.strongest).toEqual(['causal']);
    expect(violation(report, 'sequential')).toContain('No order of the 6 operations');
  });

  it('causal but not sequential, and sequential consistency is not compositional: each key alone is fine', () => {
    // p0: write x=1, read y → nil; p1: write y=1, read x → nil. Per key: order the nil read
    // first. Together: wx < ry < wy < rx < wx, a cycle. Causally nothing was read from, so the
    // nil reads have no write of their key in their past: causal.
    const events = history([w(0, 1, 0, 1, 'x'), r(0, null, 2, 3, 'y'), w(1, 1, 0, 1, 'y'), r(1, null, 2, 3, 'x')]);
    expect(ladder(check(events))).toBe('VVHHHHH');
    expect(ladder(check(events.filter((event) => event.key === 'x')))).toBe('VHHHHHH');
    expect(ladder(check(events.filter((event) => event.key === 'y')))).toBe('VHHHHHH');
  });

  it('read-your-writes violated (and only it among the session guarantees)', () => {
    // p0 write 1, then p0 read → nil: its own write is not visible. MR needs two reads, MW two
    // writes, WFR a read before a write: they hold. Causal: the write happens before the read,
    // which returns the initial value, so not causal, hence not sequential or linearizable.
    const report = check(history([w(0, 1, 0, 1), r(0, null, 2, 3)]));
    expect(ladder(report)).toBe('VVVVHHH');
    expect(violation(report, 'read-your-writes')).toBe('#1 p0 read → null returns the initial value although #0 p0 write 1 came before it in the same session.');
    expect(report.strongest).toEqual(['monotonic-reads', 'monotonic-writes', 'writes-follow-reads']);
  });

  it('read-your-writes violated by a value the session had overwritten', () => {
    // p1 write 2; p0 reads 2, writes 1, reads 2. w2 happens before w1 (p0 read it first), so the
    // last read returns a value p0 itself overwrote: RYW broken. WFR too (p0 read 2 before
    // writing 1 to the same key, and the last read sees w1 yet returns 2). MR: 2 then 2 is fine;
    // MW: each process writes once.
    const report = check(history([w(1, 2, 0, 1), r(0, 2, 2, 3), w(0, 1, 4, 5), r(0, 2, 6, 7)]));
    expect(ladder(report)).toBe('VVVVHHV');
    expect(violation(report, 'read-your-writes')).toBe('#3 p0 read → 2 returns the value of #0 p1 write 2, which #2 p0 write 1 overwrote (it happens before it), and #2 p0 write 1 came before the read in the same session.');
  });

  it('monotonic reads violated: a session reads a write, then the initial value', () => {
    // p1 write 1; p0 reads 1, then nil. p0 has no writes (RYW, WFR hold); p1 writes once (MW).
    const report = check(history([w(1, 1, 0, 1), r(0, 1, 2, 3), r(0, null, 4, 5)]));
    expect(ladder(report)).toBe('VVVHVHH');
    expect(violation(report, 'monotonic-reads')).toBe('#2 p0 read → null returns the initial value, after #1 p0 read → 1 in the same session had returned the value of #0 p1 write 1.');
  });

  it('monotonic reads violated: a session reads 2, then 1, which the writer of 2 had overwritten', () => {
    // p1 writes 1 then 2; p0 reads 2 then 1. w1 happens before w2 (program order), so reading
    // 1 after 2 goes backwards: MR. MW too: the read of 1 has w2 in its past, and w2 was written
    // after w1 by the same process to the same key.
    const report = check(history([w(1, 1, 0, 1), w(1, 2, 2, 3), r(0, 2, 4, 5), r(0, 1, 6, 7)]));
    expect(ladder(report)).toBe('VVVHVVH');
    expect(violation(report, 'monotonic-reads')).toContain('#3 p0 read → 1 returns the value of #0 p1 write 1, which #1 p1 write 2 overwrote');
  });

  it('monotonic writes violated (and only it): x written before y, y seen, x not', () => {
    // p1 writes x=1 then y=2; p0 reads y → 2, then x → nil. w(x) happens before w(y), which
    // happens before p0's read of x: that read must see x=1. Reads are of different keys (MR
    // holds); p0 has no writes, p1 no reads (RYW and WFR hold).
    const report = check(history([w(1, 1, 0, 1, 'x'), w(1, 2, 2, 3, 'y'), r(0, 2, 4, 5, 'y'), r(0, null, 6, 7, 'x')]));
    expect(ladder(report)).toBe('VVVHHVH');
    expect(violation(report, 'monotonic-writes')).toBe('#3 p0 read → null [key "x"] returns the initial value, although #1 p1 write 2 [key "y"] happens before the read and was written after #0 p1 write 1 [key "x"] in the same session.');
  });

  it('writes follow reads violated (and only it): y written after reading x, y seen, x not', () => {
    // p2 writes x=1; p1 reads x → 1, then writes y=2; p0 reads y → 2, then x → nil. p1's write
    // of y follows its read of x=1, so anyone who sees y=2 must see x=1 or newer.
    const report = check(history([w(2, 1, 0, 1, 'x'), r(1, 1, 2, 3, 'x'), w(1, 2, 4, 5, 'y'), r(0, 2, 6, 7, 'y'), r(0, null, 8, 9, 'x')]));
    expect(ladder(report)).toBe('VVVHHHV');
    expect(violation(report, 'writes-follow-reads')).toContain('#4 p0 read → null [key "x"] returns the initial value, although #2 p1 write 2 [key "y"] happens before the read');
  });

  it('causality cycle: a process reads the value it writes only afterwards', () => {
    // p0 reads 1, then writes 1: the read happens before the write it read from.
    const report = check(history([r(0, 1, 0, 1), w(0, 1, 2, 3)]));
    expect(ladder(report).slice(0, 3)).toBe('VVV');
    expect(violation(report, 'causal')).toBe('the causal order has a cycle: #0 p0 read → 1 comes before, in its session, #1 p0 write 1 is read by #0 p0 read → 1.');
  });

  it('a read of a value nobody wrote breaks causality', () => {
    const report = check(history([w(0, 1, 0, 1), r(1, 7, 2, 3)]));
    expect(ladder(report)).toBe('VVVHHHH');
    expect(violation(report, 'causal')).toBe('#1 p1 read → 7 returns a value that no operation wrote.');
  });

  it('repeated written values: the reads-from checks answer unknown with the reason; sequential is still decided', () => {
    // p0 and p1 both write 1; p2 reads 1 then nil. Sequential: w(p0) r1 … needs nil after a
    // write of 1: impossible, nothing restores nil.
    const report = check(history([w(0, 1, 0, 1), w(1, 1, 0, 1), r(2, 1, 2, 3), r(2, null, 4, 5)]));
    expect(ladder(report)).toBe('VV?????');
    const causal = report.verdicts.find((verdict) => verdict.model === 'causal');
    expect(causal?.verdict === 'unknown' && causal.reason).toBe('written values are not unique: #0 and #1 both write 1');
  });

  it('models without a reads-from relation: causal and session checks have no answer of their own', () => {
    const counter = modelByName('counter') as AnyModel;
    // p0 adds 1; p1 reads 0 after it: not linearizable, sequentially consistent (read first),
    // and sequential consistency implies the weaker models.
    const report = check(history([{ p: 0, f: 'add', v: 1, call: 0, ret: 1 }, { p: 1, f: 'read', v: 0, call: 2, ret: 3 }]), counter);
    expect(ladder(report)).toBe('VHHHHHH');
    expect(report.verdicts.slice(2).every((verdict) => verdict.verdict === 'holds' && verdict.impliedBy === 'sequential')).toBe(true);
    // p1 reads 2 after a single add of 1: nothing holds; the weaker models stay unknown.
    const bad = check(history([{ p: 0, f: 'add', v: 1, call: 0, ret: 1 }, { p: 1, f: 'read', v: 2, call: 2, ret: 3 }]), counter);
    expect(ladder(bad)).toBe('VV?????');
    const causal = bad.verdicts[2];
    expect(causal?.verdict === 'unknown' && causal.reason).toBe('model counter has no reads-from relation (needs register, cas-register or kv without append)');
  });

  it('an unread indeterminate write may never have happened; a read one did', () => {
    // p0 write 1 times out (info); p1 reads nil, then 1: fine, the write landed in between.
    const report = check(history([{ p: 0, f: 'write', v: 1, call: 0, ret: 1, type: 'info' }, r(1, null, 2, 3), r(1, 1, 4, 5)]));
    expect(ladder(report)).toBe('HHHHHHH');
    expect(report.strongest).toEqual(['linearizable']);
  });

  it('the sequential search gives unknown, not a hang, when its memory budget runs out', () => {
    // Ten processes each write a value and read a value written by the next process twice
    // removed; the search must try many interleavings of writes before giving up.
    const ops = [];
    for (let p = 0; p < 10; p++) ops.push(w(p, p + 1, 0, 1), r(p, ((p + 2) % 10) + 1, 2, 3), r(p, ((p + 5) % 10) + 1, 4, 5), r(p, p + 1, 6, 7));
    const report = checkConsistency(history(ops), register, { models: ['sequential'], memoryMb: 0.05 });
    const sequential = report.verdicts[0];
    expect(sequential?.verdict).toBe('unknown');
    expect(sequential?.verdict === 'unknown' && sequential.reason).toMatch(/^memory budget ran out after \d+ configurations/);
  });
});
