import type { RunOutput } from '../../run/run-result.js';
import type { MessageRenderer } from '../../trace/render.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { renderRunHtml } from './render-run-html.js';

/**
 * Writes the run report for a run whose trace was kept. The page is drawn from the recorded
 * output alone: the trace, the history, the checker's answer and the result.
 */
export function writeRunReport(path: string, output: RunOutput, renderMessage: MessageRenderer, source: string): void {
  writeFileAtomic(path, renderRunHtml(runPageInput(output, renderMessage, source)));
}

export function runPageInput(output: RunOutput, renderMessage: MessageRenderer, source: string) {
  const shape = output.shape ?? { nodeCount: 1 + maxNode(output), clientCount: 1 + Math.max(-1, ...(output.processClients ?? [])), partitionMode: 'drop' as const };
  return { output, renderMessage, nodeCount: shape.nodeCount, clientCount: shape.clientCount, partitionMode: shape.partitionMode, source };
}

/** The highest node id the trace names (for outputs recorded without their shape). */
function maxNode(output: RunOutput): number {
  let max = 0;
  for (const event of output.trace ?? []) {
    if ('node' in event) max = Math.max(max, event.node);
    if ('from' in event) max = Math.max(max, event.from, event.to);
  }
  return max;
}
