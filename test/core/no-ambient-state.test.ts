import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Only the CLI, benchmarks and sweep orchestration may look at the real clock. */
const ALLOWED_DIRECTORIES = ['cli', 'bench'];
const FORBIDDEN = /Math\.random|Date\.now|new Date\(|performance\.now|setTimeout|setInterval|setImmediate|process\.hrtime|crypto\.random|randomUUID/;
const WAIVER = /\/\/.*wall clock ok/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('simulated code takes time and randomness only from the simulator', () => {
  it('no file under src/ (outside cli/ and bench/) reads the wall clock, real timers or ambient randomness unmarked', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const path = relative(SRC, file);
      if (ALLOWED_DIRECTORIES.includes(path.split('/')[0]!)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (FORBIDDEN.test(line) && !WAIVER.test(line)) offenders.push(`src/${path}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('protocol code does not import the simulator (sans-I/O)', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(SRC, 'protocols'))) {
      // sim/time.ts is only units and formatting; everything else of the simulator is off limits.
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '\.\.\/\.\.\/([^']+)'/g)].map((match) => match[1]!);
      for (const target of imports) {
        if (/^(sim|network|node|faults|workload|run|cli|scenario|report)\//.test(target) && target !== 'sim/time.js') offenders.push(`${relative(SRC, file)} imports ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
