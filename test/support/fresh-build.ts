import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The source files whose compiled output in `dist/` is missing or older than they are. Workers
 * and spawned CLI tests run `dist/`, so a stale file there means a test of code that is not the
 * code under test.
 */
export function staleSources(root: string): string[] {
  const stale: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const compiled = join(root, 'dist', relative(join(root, 'src'), path)).replace(/\.ts$/, '.js');
        if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path).mtimeMs) stale.push(relative(root, path));
      }
    }
  };
  walk(join(root, 'src'));
  return stale;
}

/** Builds `dist/` when any source is newer; throws (failing the whole run) when the build fails. */
export function ensureFreshBuild(root: string, build: () => { ok: boolean; output: string } = () => runBuild(root)): 'fresh' | 'rebuilt' {
  const stale = staleSources(root);
  if (stale.length === 0) return 'fresh';
  const result = build();
  if (!result.ok) throw new Error(`dist/ is older than ${stale[0]} and the build failed:\n${result.output}`);
  const still = staleSources(root);
  if (still.length > 0) throw new Error(`dist/ is still older than ${still[0]} after building`);
  return 'rebuilt';
}

/** What `npm run build` does: compile, then record the build id beside the output. */
function runBuild(root: string): { ok: boolean; output: string } {
  const compile = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, encoding: 'utf8' });
  if (compile.status !== 0) return { ok: false, output: `${compile.stdout}${compile.stderr}` };
  const info = join(root, 'scripts/write-build-info.mjs');
  if (!existsSync(info)) return { ok: true, output: '' };
  const record = spawnSync(process.execPath, [info], { cwd: root, encoding: 'utf8' });
  return { ok: record.status === 0, output: `${record.stdout}${record.stderr}` };
}
