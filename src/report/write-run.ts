import { join } from 'node:path';
import { historyToJsonLines } from '../history/operation.js';
import type { Message } from '../protocol/effects.js';
import type { RunOutput } from '../run/run-result.js';
import { renderTraceEvent } from '../trace/render.js';
import type { TraceEvent } from '../trace/trace-event.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface WrittenFiles {
  result: string;
  history: string;
  trace: string | undefined;
}

/** Writes result.json, history.jsonl and (when recorded and asked for) trace.jsonl into `directory`, atomically. */
export function writeRunOutput(directory: string, output: RunOutput, renderMessage: (message: Message) => string, options: { trace: boolean } = { trace: output.trace !== undefined }): WrittenFiles {
  const history = join(directory, 'history.jsonl');
  writeFileAtomic(history, historyToJsonLines(output.history));
  let trace: string | undefined;
  if (output.trace !== undefined && options.trace) {
    trace = join(directory, 'trace.jsonl');
    writeFileAtomic(trace, traceToJsonLines(output.trace, renderMessage));
  }
  const result = join(directory, 'result.json');
  writeFileAtomic(result, JSON.stringify(output.result, null, 2) + '\n');
  return { result, history, trace };
}

/** One JSON object per event: its time, kind and stable text rendering. */
export function traceToJsonLines(trace: readonly TraceEvent[], renderMessage: (message: Message) => string): string {
  let out = '';
  for (const event of trace) out += JSON.stringify({ time: event.time, kind: event.kind, text: renderTraceEvent(event, renderMessage) }) + '\n';
  return out;
}
