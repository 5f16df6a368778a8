import { readFileSync } from 'node:fs';

/** The faultline build a result came from: the package version and the git commit it was built at. */
export interface BuildInfo {
  version: string;
  commit: string;
}

/**
 * Read once from dist/build-info.json, which `npm run build` writes (scripts/write-build-info.mjs)
 * next to the compiled code. Source run directly (vitest) finds the last build's file; with no
 * build at all the commit is "unknown".
 */
export const buildInfo: BuildInfo = readBuildInfo();

function readBuildInfo(): BuildInfo {
  for (const candidate of ['../build-info.json', '../../dist/build-info.json']) {
    try {
      const data = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as Partial<BuildInfo>;
      if (typeof data.version === 'string' && typeof data.commit === 'string') return { version: data.version, commit: data.commit };
    } catch {
      // not there: try the next place
    }
  }
  return { version: 'unknown', commit: 'unknown' };
}

/** "0.1.0 (abc123)" */
export function describeBuild(build: BuildInfo | undefined): string {
  return build === undefined ? 'an unrecorded build' : `${build.version} (${build.commit})`;
}

/** True when both builds are known and differ in version or commit. */
export function buildsDiffer(a: BuildInfo | undefined, b: BuildInfo | undefined): boolean {
  return a !== undefined && b !== undefined && (a.version !== b.version || a.commit !== b.commit);
}
