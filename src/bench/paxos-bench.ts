import { isMain } from './measure.js';
import { runBesideRaft } from './beside-raft.js';

/** Multi-Paxos beside Raft on the standard benchmark (scenarios/paxos-bench.yaml; issue 14). */
export function runPaxosBench(): void {
  runBesideRaft({
    name: 'multi-paxos',
    file: 'scenarios/paxos-bench.yaml',
    perOpNote: "Raft's linearizable reads are heartbeat rounds, Multi-Paxos's go through the log",
  });
}

if (isMain(import.meta.url)) runPaxosBench();
