import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Message } from '../../../src/protocol/effects.js';
import type { ProtocolAdapter } from './cluster.js';
import { runTranscript } from './runner.js';

/**
 * One test per `*.txt` transcript in `directory`, compared with what the commands print now
 * (REWRITE=1 writes the output back instead). Each transcript runs twice: the second time the
 * observers see only the steps the protocol's step filter lets through, as in the world, and the
 * output (violations included) must not change.
 */
export function itRunsTranscripts<State, M extends Message, Options, Timer extends string>(
  adapter: ProtocolAdapter<State, M, Options, Timer>,
  directory: string,
): void {
  const files = readdirSync(directory).filter((name) => name.endsWith('.txt')).sort();
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    it(file.replace(/\.txt$/, ''), () => {
      const path = join(directory, file);
      const { expected, actual } = runTranscript(adapter, path);
      if (process.env.REWRITE === '1') writeFileSync(path, actual);
      else expect(actual).toBe(expected);
      expect(runTranscript(adapter, path, true).actual).toBe(actual);
    });
  }
}
