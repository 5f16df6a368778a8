import { readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import { parseDuration } from '../../src/scenario/duration.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/**
 * A scenario file with its safety phase cut to `durationMs` (faults that would start later are
 * dropped; the liveness phase is kept). Returned as a parsed scenario whose `source` is the new
 * text, so worker threads, which re-parse the text, run exactly the same thing.
 */
export function shortenedScenario(file: string, durationMs: number): Scenario {
  const document = parseDocument(readFileSync(file, 'utf8'));
  document.set('duration', `${durationMs}ms`);
  const faults = document.get('faults');
  if (isSeq(faults)) {
    faults.items = faults.items.filter((item) => !isMap(item) || (parseDuration(item.get('at')) ?? 0) <= durationMs * 1000);
  }
  return parseScenario(document.toString(), file);
}
