import { boolean, choice, defineOptions, integer, OptionsError } from '../../protocol/options.js';

export type DetectorKind = 'fixed' | 'phi';

export interface FailoverOptions {
  /** Which failure detector the manager runs on the primary's heartbeats. */
  detector: DetectorKind;
  heartbeatMs: number;
  /** Fixed-timeout detector: suspect after this long without a heartbeat. */
  timeoutMs: number;
  /** φ-accrual detector: suspect when φ reaches this. */
  phiThreshold: number;
  /** φ-accrual detector: how many inter-arrival times it remembers. */
  phiWindow: number;
  /** φ-accrual detector: the least standard deviation it assumes (keeps a steady link from making it hair-triggered). */
  phiMinStdDevMs: number;
  /** How often the manager asks the detector. */
  checkMs: number;
  /** A primary gives up (unknown outcome) on an operation the storage has not answered by then. */
  opTimeoutMs: number;
  /** PLANTED BUG: the storage accepts operations of any epoch (failover without fencing). */
  unsafeNoFencing: boolean;
}

export const FAILOVER_OPTIONS = defineOptions<FailoverOptions>(
  'failover',
  {
    detector: choice(['fixed', 'phi'], { default: 'phi', doc: 'failure detector on the primary: fixed timeout or phi-accrual (Hayashibara et al. 2004)' }),
    heartbeatMs: integer({ default: 10, max: 10_000, unit: 'ms', doc: 'how often every server sends a heartbeat to the manager', swarm: [5, 20] }),
    timeoutMs: integer({ default: 50, max: 60_000, unit: 'ms', doc: 'fixed detector: suspect the primary after this long without a heartbeat', swarm: [40, 120] }),
    phiThreshold: integer({ default: 8, max: 30, doc: 'phi-accrual detector: suspect when phi reaches this (phi 8: about one mistake in 10^8 under the estimated distribution)' }),
    phiWindow: integer({ default: 100, min: 2, max: 1000, unit: 'entries', doc: 'phi-accrual detector: inter-arrival times remembered' }),
    phiMinStdDevMs: integer({ default: 5, max: 10_000, unit: 'ms', doc: 'phi-accrual detector: the least standard deviation assumed' }),
    checkMs: integer({ default: 5, max: 10_000, unit: 'ms', doc: 'how often the manager consults the detector' }),
    opTimeoutMs: integer({ default: 300, max: 60_000, unit: 'ms', doc: 'a primary answers unknown for an operation the storage has not answered by then' }),
    unsafeNoFencing: boolean({
      default: false,
      plantedBug: true,
      source: 'Kleppmann, "How to do distributed locking" (2016): a paused client writes after its lease expired unless the storage checks a fencing token',
      caughtBy: 'no-split-brain',
      doc: 'the storage does not check epochs, so a paused old primary writes after the new one took over',
    }),
  },
  (options) => {
    if (options.timeoutMs <= options.heartbeatMs) throw new OptionsError('timeoutMs', `expected more than heartbeatMs (${options.heartbeatMs})`);
  },
);
