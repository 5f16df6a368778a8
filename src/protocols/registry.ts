import { markProvenByTests } from '../protocol/hand-over.js';
import type { AnyProtocol } from '../protocol/protocol.js';
import { chainProtocol } from './chain/index.js';
import { failoverProtocol } from './failover/index.js';
import { lockProtocol } from './lock/index.js';
import { multiPaxosProtocol } from './multi-paxos/index.js';
import { primaryBackupProtocol } from './primary-backup/index.js';
import { raftProtocol } from './raft/index.js';
import { twoPhaseCommitProtocol } from './two-phase-commit/index.js';
import { zabProtocol } from './zab/index.js';

/** Every protocol a scenario can name. Add a protocol here to make it runnable. */
const PROTOCOLS: AnyProtocol[] = [primaryBackupProtocol, raftProtocol, twoPhaseCommitProtocol, multiPaxosProtocol, zabProtocol, failoverProtocol, chainProtocol, lockProtocol];

for (const protocol of PROTOCOLS) markProvenByTests(protocol);

const registered = new Map<string, AnyProtocol>(PROTOCOLS.map((protocol) => [protocol.name, protocol]));

export function findProtocol(name: string): AnyProtocol | undefined {
  return registered.get(name);
}

export function protocolNames(): string[] {
  return [...registered.keys()].sort();
}

export function allProtocols(): AnyProtocol[] {
  return [...registered.values()];
}

/** Test and user protocols can be registered at run time (e.g. from a vitest file). */
export function registerProtocol(protocol: AnyProtocol): void {
  registered.set(protocol.name, protocol);
}
