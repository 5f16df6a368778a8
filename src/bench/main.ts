import { runCheckBench } from './check-bench.js';
import { runCoreBench } from './core-bench.js';
import { runRaftBench } from './raft-bench.js';
import { runSweepBench } from './sweep-bench.js';

/** `npm run bench`: every benchmark, in one process, in a fixed order. */
runCoreBench();
runRaftBench();
await runCheckBench();
await runSweepBench();
