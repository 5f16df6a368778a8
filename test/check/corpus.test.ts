import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName, parseHistoryFile, type Verdict } from '../../src/check/index.js';
import { fixtureHistories, readManifest, sharedCorpusDirectory, type ManifestEntry } from './corpus-files.js';

async function verdictOf(directory: string, entry: ManifestEntry): Promise<{ verdict: Verdict; operations: number }> {
  const parsed = await parseHistoryFile(path.join(directory, entry.file), entry.format);
  const model = modelByName(entry.model);
  expect(model, `model ${entry.model}`).toBeDefined();
  const result = checkHistory(parsed.events, model!, { source: parsed, timeoutMs: 60_000 });
  return { verdict: result.verdict, operations: result.operationCount + result.ignoredCount };
}

describe('the checker agrees with every verdict of the reference histories', () => {
  describe('copies kept in test/fixtures (always run)', () => {
    const directory = path.join(fixtureHistories, 'porcupine');
    const entries = readManifest(directory);
    it('covers both verdicts and both formats', () => {
      expect(new Set(entries.map((entry) => entry.expected))).toEqual(new Set(['linearizable', 'not linearizable']));
      expect(new Set(entries.map((entry) => entry.format))).toEqual(new Set(['porcupine-etcd', 'porcupine-kv']));
    });
    for (const entry of entries) {
      it(`${entry.file} is ${entry.expected}`, async () => {
        const { verdict, operations } = await verdictOf(directory, entry);
        expect(verdict).toBe(entry.expected);
        expect(operations).toBe(entry.operations);
      });
    }
  });

  const shared = sharedCorpusDirectory();
  if (shared === undefined) {
    console.log('skipping the full Porcupine corpus: ../shared/histories/porcupine/manifest.tsv is absent');
    it.skip('full corpus in ../shared/histories/porcupine (absent)', () => {});
    return;
  }
  describe('the full corpus in ../shared/histories/porcupine', () => {
    const entries = readManifest(shared);
    it('lists 108 histories', () => expect(entries).toHaveLength(108));
    for (const entry of entries) {
      it(`${entry.file} is ${entry.expected}`, async () => {
        const { verdict, operations } = await verdictOf(shared, entry);
        expect(verdict).toBe(entry.expected);
        expect(operations).toBe(entry.operations);
      });
    }
  });
});
