import { runCoreBench } from './core-bench.js';

/** `npm run bench`: every benchmark, in one process, in a fixed order. */
runCoreBench();
