import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryFormat } from '../../src/check/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedHistories = path.resolve(repoRoot, '../shared/histories');
export const fixtureHistories = path.resolve(repoRoot, 'test/fixtures/histories');

export interface ManifestEntry {
  readonly file: string;
  readonly format: HistoryFormat;
  readonly model: string;
  readonly expected: 'linearizable' | 'not linearizable';
  readonly operations: number;
}

/** Reads a manifest.tsv (file, format, model, expected verdict, operation count). */
export function readManifest(directory: string): ManifestEntry[] {
  const lines = readFileSync(path.join(directory, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [file, format, model, expected, operations] = line.split('\t') as [string, HistoryFormat, string, ManifestEntry['expected'], string];
    return { file, format, model, expected, operations: Number(operations) };
  });
}

export function sharedCorpusDirectory(): string | undefined {
  const directory = path.join(sharedHistories, 'porcupine');
  return existsSync(path.join(directory, 'manifest.tsv')) ? directory : undefined;
}
