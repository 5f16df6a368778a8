import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './transcript.js';

const directory = join(dirname(fileURLToPath(import.meta.url)), 'transcripts');
const rewrite = process.env.REWRITE === '1';

describe('raft transcripts', () => {
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.txt')).sort()) {
    it(file.replace(/\.txt$/, ''), () => {
      const path = join(directory, file);
      const { expected, actual } = runTranscript(path);
      if (rewrite) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
      // The world skips observers on steps Raft's step filter calls quiet; the same transcript,
      // violations included, must come out of the filtered run.
      expect(runTranscript(path, true).actual).toBe(actual);
    });
  }
});
