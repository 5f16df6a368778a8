import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJsonLines, type HistoryEvent } from '../history/operation.js';
import { importFlags } from '../run/imported-modules.js';
import type { RunResult } from '../run/run-result.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { safePathComponent } from '../util/safe-name.js';
import type { Divergence } from './summary.js';

/** `failures/<scenario>/<seed>`, relative to the sweep's output folder. */
export function failureDirectoryFor(scenario: string, seed: number): string {
  return join('failures', safePathComponent(scenario), String(seed));
}

/**
 * Writes one failing seed the moment it is found: report.html (the run report, when the worker
 * rendered one), history.jsonl (when the run kept it), determinism.json (for a divergence),
 * replay.sh, and result.json last. Every file goes through a
 * temporary file and a rename, so a reader (or an interrupted sweep) never sees a torn file, and a
 * folder with a result.json is complete.
 */
export function writeFailure(directory: string, result: RunResult, history: HistoryEvent[] | undefined, divergence: Divergence | undefined, reportHtml?: string): void {
  if (reportHtml !== undefined) writeFileAtomic(join(directory, 'report.html'), reportHtml);
  if (history !== undefined) writeFileAtomic(join(directory, 'history.jsonl'), historyToJsonLines(history));
  if (divergence !== undefined) writeFileAtomic(join(directory, 'determinism.json'), JSON.stringify(divergence, null, 2) + '\n');
  const replay = join(directory, 'replay.sh');
  writeFileAtomic(replay, replayScript(result));
  chmodSync(replay, 0o755);
  writeFileAtomic(join(directory, 'result.json'), JSON.stringify(result, null, 2) + '\n');
}

function replayScript(result: RunResult): string {
  return [
    '#!/bin/sh',
    `# Re-runs seed ${result.seed} of ${result.scenario} (verdict ${result.verdict.kind}, expected ${result.expected})`,
    '# and checks that the trace hash matches; on a mismatch it names the first diverging event.',
    // Absolute module paths, so the script works from any working directory.
    `exec npx faultline replay "$(dirname "$0")/result.json"${importFlags(result.imports, '/', true)} "$@"`,
    '',
  ].join('\n');
}
