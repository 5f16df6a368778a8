import fc from 'fast-check';
import type { HistoryEvent, Json } from '../../src/history/operation.js';
import { history, type Op } from './history-builder.js';

interface Planned {
  readonly process: number;
  readonly kind: 'read' | 'write' | 'cas';
  readonly key: number;
  /** For a read: which written value of its key it returns (index mod count; the last slot is nil). */
  readonly pick: number;
  readonly thinAir: boolean;
  readonly outcome: 'ok' | 'ok2' | 'ok3' | 'fail' | 'info' | 'open';
  readonly gap: number;
  readonly length: number;
}

/**
 * Small register (or cas-register) histories with unique written values: 1–3 processes, up to
 * `maxOperations` operations on 1–2 keys, each process one operation at a time with random
 * gaps and lengths (so intervals overlap and tie), reads returning any value written to their key
 * (earlier, later or concurrent), nil, or rarely a value nobody wrote. A process stops after an
 * `info` or never-completed operation, as in Jepsen.
 */
export function registerHistoryArbitrary(options: { readonly cas?: boolean; readonly maxOperations?: number } = {}): fc.Arbitrary<HistoryEvent[]> {
  const kinds: ('read' | 'write' | 'cas')[] = options.cas === true ? ['read', 'read', 'write', 'cas'] : ['read', 'write'];
  const planned = fc.record<Planned>({
    process: fc.integer({ min: 0, max: 2 }),
    kind: fc.constantFrom(...kinds),
    key: fc.integer({ min: 0, max: 1 }),
    pick: fc.nat(16),
    thinAir: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))).chain((b) => (b ? fc.boolean() : fc.constant(false))),
    outcome: fc.constantFrom('ok', 'ok2', 'ok3', 'fail', 'info', 'open'),
    gap: fc.integer({ min: 0, max: 4 }),
    length: fc.integer({ min: 0, max: 4 }),
  });
  return fc.record({ plans: fc.array(planned, { minLength: 1, maxLength: options.maxOperations ?? 8 }), keys: fc.integer({ min: 1, max: 2 }) }).map(({ plans, keys }) => build(plans, keys));
}

function build(plans: readonly Planned[], keyCount: number): HistoryEvent[] {
  const stopped = new Set<number>();
  const clock = new Map<number, number>();
  const kept: { plan: Planned; value: number; call: number; ret: number }[] = [];
  let nextValue = 1;
  for (const plan of plans) {
    if (stopped.has(plan.process)) continue;
    const call = (clock.get(plan.process) ?? 0) + plan.gap;
    const ret = call + plan.length;
    clock.set(plan.process, ret + 1);
    if (plan.outcome === 'info' || plan.outcome === 'open') stopped.add(plan.process);
    kept.push({ plan, value: plan.kind === 'read' ? 0 : nextValue++, call, ret });
  }
  const keyOf = (plan: Planned): string => `k${plan.key % keyCount}`;
  const written = new Map<string, number[]>();
  for (const { plan, value } of kept) if (plan.kind !== 'read') written.set(keyOf(plan), [...(written.get(keyOf(plan)) ?? []), value]);
  const choose = (plan: Planned): Json => {
    if (plan.thinAir) return 99;
    const values = written.get(keyOf(plan)) ?? [];
    const at = plan.pick % (values.length + 1);
    return at === values.length ? null : (values[at] as number);
  };
  const ops: Op[] = kept.map(({ plan, value, call, ret }) => {
    const type: Op['type'] = plan.outcome.startsWith('ok') ? 'ok' : (plan.outcome as 'fail' | 'info' | 'open');
    const base = { p: plan.process, call, ret, key: keyOf(plan), type };
    if (plan.kind === 'write') return { ...base, f: 'write', v: value };
    if (plan.kind === 'cas') return { ...base, f: 'cas', v: [choose(plan), value] };
    return { ...base, f: 'read', v: choose(plan) };
  });
  return history(ops);
}
