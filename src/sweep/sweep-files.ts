import { existsSync, readFileSync } from 'node:fs';
import { renderSweepHtml } from '../report/sweep-page/render-sweep-html.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import { renderJunit } from './junit.js';
import type { SweepSummary } from './summary.js';

export const SUMMARY_FILE = 'summary.json';
export const JUNIT_FILE = 'junit.xml';
export const SUMMARY_PAGE_FILE = 'summary.html';

/** Writes summary.html, junit.xml and summary.json into `directory`, each atomically. */
export function writeSweepFiles(directory: string, summary: SweepSummary): { summary: string; junit: string; page: string } {
  const paths = { summary: join(directory, SUMMARY_FILE), junit: join(directory, JUNIT_FILE), page: join(directory, SUMMARY_PAGE_FILE) };
  writeFileAtomic(paths.page, renderSweepHtml(summary, { hasReport: (failure) => existsSync(join(directory, failure, 'report.html')) }));
  writeFileAtomic(paths.junit, renderJunit(summary));
  writeFileAtomic(paths.summary, JSON.stringify(summary, null, 2) + '\n');
  return paths;
}

/** Reads a summary.json written by `faultline sweep` or `merge`. */
export function readSummaryFile(path: string): SweepSummary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${SUMMARY_FILE} here (is it a sweep's --out folder?)` : 'cannot read the file', path);
  }
  let data: Partial<SweepSummary>;
  try {
    data = JSON.parse(text) as Partial<SweepSummary>;
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, path);
  }
  if (data?.kind !== 'faultline-sweep' || data.formatVersion !== 1) throw new InputError('expected a summary.json written by faultline sweep (formatVersion 1)', path);
  if (!Array.isArray(data.scenarios) || !Array.isArray(data.shards) || typeof data.seeds !== 'object') throw new InputError('missing scenarios, shards or seeds', path);
  return data as SweepSummary;
}
