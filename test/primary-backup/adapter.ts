import {
  pbRole,
  primaryBackupProtocol,
  renderPbEntry,
  renderPbState,
  type PbMessage,
  type PbOptions,
  type PbState,
  type PbTimer,
} from '../../src/protocols/primary-backup/index.js';
import { renderKvData, type ProtocolAdapter } from '../support/transcript/cluster.js';

/** How the generic harness shows a primary-backup node (nodes numbered from 0: view v's primary is v mod n). */
export const primaryBackupAdapter: ProtocolAdapter<PbState, PbMessage, PbOptions, PbTimer> = {
  protocol: primaryBackupProtocol,
  firstNodeId: 0,
  status: renderPbState,
  phase: (state) => `${pbRole(state)} view=${state.view}`,
  log: (state) => (state.log.length === 0 ? ['(empty)'] : state.log.map((entry, position) => renderPbEntry(position, entry))),
  kv: (state) => renderKvData(state.store.data),
};
