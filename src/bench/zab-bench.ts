import { isMain } from './measure.js';
import { runBesideRaft } from './beside-raft.js';

/**
 * Zab beside Raft on the standard benchmark (scenarios/zab-bench.yaml, readMode sync so that
 * reads are linearizable as Raft's are; issue 15).
 */
export function runZabBench(): void {
  runBesideRaft({
    name: 'zab',
    file: 'scenarios/zab-bench.yaml',
    perOpNote: "Raft's linearizable reads are heartbeat rounds, Zab's are a sync through the leader",
  });
}

if (isMain(import.meta.url)) runZabBench();
