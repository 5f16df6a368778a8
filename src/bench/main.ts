import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every benchmark, in a fixed order, each in a fresh Node process. In one
 * process the benchmarks would skew each other: code shared by two protocols (the world, the
 * network) is optimised for both after the primary-backup benchmark, and measurably slower for
 * Raft than in a process that only ever ran Raft, as a sweep of one protocol is.
 */
const PARTS: { script: string; nodeFlags: string[] }[] = [
  { script: 'core-bench.js', nodeFlags: [] },
  { script: 'raft-bench.js', nodeFlags: [] },
  { script: 'paxos-bench.js', nodeFlags: [] },
  { script: 'zab-bench.js', nodeFlags: [] },
  { script: 'check-bench.js', nodeFlags: ['--expose-gc'] },
  { script: 'sweep-bench.js', nodeFlags: [] },
];

let failed = false;
for (const part of PARTS) {
  const script = fileURLToPath(new URL(part.script, import.meta.url));
  const result = spawnSync(process.execPath, [...part.nodeFlags, script], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench: ${part.script} exited with ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
