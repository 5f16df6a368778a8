#!/usr/bin/env node
// Runs after `tsc` in `npm run build`: records the version and the git commit the build was made
// from in dist/build-info.json, so a result.json names the build that produced it (read at run
// time by src/run/build-info.ts; simulated code never sees it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const head = git('rev-parse', '--short=12', 'HEAD');
// Only changes to what is built count as dirty: reports and notes lying around do not.
const dirty = head !== undefined && git('status', '--porcelain', '--', 'src', 'package.json', 'package-lock.json', 'tsconfig.build.json') !== '';
const commit = head === undefined ? 'unknown' : dirty ? `${head}-dirty` : head;
writeFileSync(new URL('../dist/build-info.json', import.meta.url), JSON.stringify({ version, commit }) + '\n');
