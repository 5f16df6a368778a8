import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * `assert(condition, message)` evaluates its message on every call, also when the condition
 * holds (src/util/assert.ts). A template literal with values there builds a string per call on
 * the hot path: Zab built two per delivered txn. Messages with values go through
 * `if (!condition) fail(...)`.
 */
describe('assertion messages', () => {
  it('no assert() under src/ builds its message from values', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (/\bassert\(.*`[^`]*\$\{/.test(line)) offenders.push(`src/${relative(SRC, file)}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
