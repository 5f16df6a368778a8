import { OptionsError } from '../../protocol/protocol.js';

export interface PbOptions {
  heartbeatMs: number;
  /** A backup that hears nothing from the primary for this long (±50%) starts a view change. */
  primaryTimeoutMs: number;
  /**
   * Planted bug for demonstrations: the primary answers a write once it is in its own log,
   * without waiting for a majority (asynchronous replication). Failover then loses
   * acknowledged writes, and the history stops being linearizable.
   */
  unsafeAsyncReplication: boolean;
}

const DEFAULTS: PbOptions = { heartbeatMs: 50, primaryTimeoutMs: 300, unsafeAsyncReplication: false };

export function parsePbOptions(raw: unknown): PbOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OptionsError('', 'expected a mapping of options');
  const options = { ...DEFAULTS };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case 'heartbeatMs':
      case 'primaryTimeoutMs':
        if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new OptionsError(key, 'expected a positive integer number of milliseconds');
        options[key] = value;
        break;
      case 'unsafeAsyncReplication':
        if (typeof value !== 'boolean') throw new OptionsError(key, 'expected true or false');
        options[key] = value;
        break;
      default:
        throw new OptionsError(key, `unknown option; expected one of ${Object.keys(DEFAULTS).join(', ')}`);
    }
  }
  if (options.primaryTimeoutMs < 2 * options.heartbeatMs) {
    throw new OptionsError('primaryTimeoutMs', `expected at least twice heartbeatMs (${options.heartbeatMs})`);
  }
  return options;
}
