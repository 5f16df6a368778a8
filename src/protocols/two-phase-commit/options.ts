import { boolean, defineOptions, integer, OptionsError } from '../../protocol/options.js';

export interface TpcOptions {
  /** The coordinator aborts a transaction whose votes are not all in by then. */
  prepareTimeoutMs: number;
  /** How often decisions are resent and in-doubt participants ask. */
  retryMs: number;
  /** PLANTED BUG: a participant votes yes without logging PREPARED (it forgets the writes on a crash). */
  unsafeVoteBeforeLog: boolean;
  /** PLANTED BUG: the coordinator sends COMMIT before logging the decision (a crash turns it into presumed abort). */
  unsafeCommitBeforeLog: boolean;
  /** PLANTED BUG: a prepared participant gives up and aborts on its own after a timeout. */
  unsafeAbortWhenPrepared: boolean;
}

export const TPC_OPTIONS = defineOptions<TpcOptions>(
  'two-phase-commit',
  {
    prepareTimeoutMs: integer({ default: 200, unit: 'ms', doc: 'the coordinator aborts a transaction whose votes are not all in by then' }),
    retryMs: integer({ default: 50, unit: 'ms', doc: 'how often decisions are resent and in-doubt participants ask' }),
    unsafeVoteBeforeLog: boolean({ default: false, plantedBug: true, source: 'Bernstein, Hadzilacos, Goodman ch. 7: log PREPARED before voting yes', caughtBy: 'commit-applies-writes', doc: 'vote yes without logging PREPARED' }),
    unsafeCommitBeforeLog: boolean({ default: false, plantedBug: true, source: 'Gray 1978: the decision is logged before COMMIT is sent', caughtBy: 'atomicity', doc: 'send COMMIT before the decision is logged' }),
    unsafeAbortWhenPrepared: boolean({ default: false, plantedBug: true, source: 'Bernstein et al. ch. 7: a prepared participant may not decide alone (blocking)', caughtBy: 'atomicity', doc: 'a prepared participant aborts on its own after prepareTimeoutMs' }),
  },
  (options) => {
    if (options.retryMs > options.prepareTimeoutMs) throw new OptionsError('retryMs', `expected at most prepareTimeoutMs (${options.prepareTimeoutMs})`);
  },
);
