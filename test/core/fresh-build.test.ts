import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { ensureFreshBuild, staleSources } from '../support/fresh-build.js';

/** A tiny tree: src/a.ts and src/sim/b.ts with their compiled files `age` seconds apart. */
function tree(distOlderBy: number, withDist = true): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-fresh-'));
  mkdirSync(join(root, 'src/sim'), { recursive: true });
  mkdirSync(join(root, 'dist/sim'), { recursive: true });
  for (const file of ['a', 'sim/b']) {
    writeFileSync(join(root, `src/${file}.ts`), 'export {};');
    utimesSync(join(root, `src/${file}.ts`), 2_000, 2_000);
    if (!withDist) continue;
    writeFileSync(join(root, `dist/${file}.js`), 'export {};');
    utimesSync(join(root, `dist/${file}.js`), 2_000 - distOlderBy, 2_000 - distOlderBy);
  }
  return root;
}

describe('the test suite never runs a dist/ older than src/', () => {
  it('is wired as vitest globalSetup', () => {
    expect(config.test?.globalSetup).toContain('test/support/global-setup.ts');
  });

  it('finds a source edited after the build, and a source never built', () => {
    expect(staleSources(tree(0))).toEqual([]);
    expect(staleSources(tree(10))).toEqual(['src/a.ts', 'src/sim/b.ts']);
    expect(staleSources(tree(0, false))).toHaveLength(2);
  });

  it('rebuilds when stale, and fails the run when the build fails', () => {
    const root = tree(10);
    let builds = 0;
    const touchDist = () => {
      builds++;
      for (const file of ['a', 'sim/b']) utimesSync(join(root, `dist/${file}.js`), 3_000, 3_000);
      return { ok: true, output: '' };
    };
    expect(ensureFreshBuild(root, touchDist)).toBe('rebuilt');
    expect(ensureFreshBuild(root, touchDist)).toBe('fresh');
    expect(builds).toBe(1);
    expect(() => ensureFreshBuild(tree(10), () => ({ ok: false, output: "src/a.ts(1,1): error TS1005: ';' expected." }))).toThrow(/older than src\/a\.ts and the build failed:\nsrc\/a\.ts\(1,1\): error TS1005/);
  });
});
