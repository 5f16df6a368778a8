import type { Json } from '../../history/operation.js';
import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import { hashString } from '../value-key.js';

/**
 * A bank of accounts, every balance starting at 0 (Jepsen's bank test, without overdraft rules):
 *
 * - `transfer`: invoke value `[from, to, amount]`; moves `amount` from one account to another.
 * - `read`: the `ok` value is every non-zero balance, `{account: balance}`.
 *
 * A failed transfer (an aborted transaction) did not happen; an indeterminate read is left out.
 * The state is the canonical rendering of the non-zero balances, so equal states are equal strings.
 */
export type BankInput = { readonly kind: 'transfer'; readonly from: string; readonly to: string; readonly amount: number } | { readonly kind: 'read' };
/** read: the canonical balances; transfer: null. */
export type BankOutput = string | null;

export const bankModel: Model<string, BankInput, BankOutput> = {
  name: 'bank',
  summary: 'accounts starting at 0 with transfer [from, to, amount] and read of every balance',
  functions: ['transfer', 'read'],
  init: () => '{}',
  step(state, input, output): StepResult<string> {
    switch (input.kind) {
      case 'transfer':
        return legal(applyTransfer(state, input.from, input.to, input.amount));
      case 'read':
        return output === undefined || output === state ? legal(state) : illegal;
      default:
        return unreachable(input, 'bank input');
    }
  },
  equal: (a, b) => a === b,
  hash: hashString,
  decode: decodeBank,
  describeOperation: (input, output) => (input.kind === 'transfer' ? `transfer ${input.amount} ${input.from}→${input.to}` : `read → ${output ?? '?'}`),
  describeState: (state) => state,
};

function applyTransfer(state: string, from: string, to: string, amount: number): string {
  const balances = JSON.parse(state) as Record<string, number>;
  balances[from] = (balances[from] ?? 0) - amount;
  balances[to] = (balances[to] ?? 0) + amount;
  return canonical(balances);
}

function canonical(balances: Record<string, number>): string {
  const entries = Object.entries(balances).filter(([, balance]) => balance !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

function decodeBank(call: RawCall): Decoded<BankInput, BankOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'transfer') {
    const value = call.invokeValue;
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || typeof value[1] !== 'string' || !Number.isSafeInteger(value[2])) {
      return { kind: 'invalid', expected: 'a transfer invoked with [from, to, amount]' };
    }
    return { kind: 'operation', input: { kind: 'transfer', from: value[0], to: value[1], amount: value[2] as number }, output: call.outcome === 'info' ? undefined : null };
  }
  if (call.f !== 'read') return { kind: 'invalid', expected: 'one of transfer, read' };
  if (call.outcome === 'info') return { kind: 'ignored' };
  const balances = call.completionValue;
  if (!isBalances(balances)) return { kind: 'invalid', expected: 'a read completed with {account: integer balance}' };
  return { kind: 'operation', input: { kind: 'read' }, output: canonical(balances) };
}

function isBalances(value: Json | undefined): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((balance) => Number.isSafeInteger(balance));
}
