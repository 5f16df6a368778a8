import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { buildInfo } from '../../src/run/build-info.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function cli(args: string[]) {
  const io = bufferIo(ROOT);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The JSON the page embeds (the data script element), parsed back. */
function pageData(file: string): { traceHash: string; nodeCount: number; build: string; violation: unknown } {
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!;
  return JSON.parse(json);
}

describe('faultline run --html and faultline report', () => {
  const out = mkdtempSync(join(tmpdir(), 'faultline-report-cli-'));

  it('run writes report.html beside result.json by default and names it; --no-html does not', async () => {
    const { code, stdout } = await cli(['run', 'scenarios/pb-healthy.yaml', '--seed', '3', '--out', join(out, 'default')]);
    expect(code).toBe(0);
    const report = join(out, 'default', 'report.html');
    expect(stdout).toContain(`report       ${report}`);
    const data = pageData(report);
    const result = JSON.parse(readFileSync(join(out, 'default', 'result.json'), 'utf8'));
    expect(data.traceHash).toBe(result.traceHash);
    expect(data.nodeCount).toBe(5); // scenarios/pb-healthy.yaml: nodes: 5
    // Without --trace the trace was kept for the page only, not written.
    expect(existsSync(join(out, 'default', 'trace.jsonl'))).toBe(false);
    const none = await cli(['run', 'scenarios/pb-healthy.yaml', '--seed', '3', '--out', join(out, 'none'), '--no-html']);
    expect(none.code).toBe(0);
    expect(existsSync(join(out, 'none', 'report.html'))).toBe(false);
    expect(existsSync(join(out, 'none', 'result.json'))).toBe(true);
  });

  it('--html FILE writes the page there; report re-renders the same page from a replay', async () => {
    const page = join(out, 'elsewhere.html');
    const { code } = await cli(['run', 'scenarios/pb-async-replication-unsafe.yaml', '--seed', '2', '--out', join(out, 'pb'), '--html', page, '--raw-exit-code']);
    expect(code).toBe(1); // the raw code of the planted bug's verdict
    expect(statSync(page).size).toBeGreaterThan(10_000);
    const again = await cli(['report', join(out, 'pb', 'result.json')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/faultline report: .*report\.html \([\d,]+ events, verdict /);
    const replayed = join(out, 'pb', 'report.html');
    expect(pageData(replayed)).toEqual(pageData(page));
    expect(pageData(replayed).violation).not.toBeNull();
  });

  it('result.json records the build; a replay that diverges under another build names the mismatch', async () => {
    const { code } = await cli(['run', 'scenarios/pb-healthy.yaml', '--seed', '4', '--out', join(out, 'build'), '--no-html']);
    expect(code).toBe(0);
    const path = join(out, 'build', 'result.json');
    const result = JSON.parse(readFileSync(path, 'utf8'));
    expect(result.build).toEqual(buildInfo);
    expect(result.build.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(result.build.commit).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
    // Same build: a matching replay says nothing about builds.
    const same = await cli(['replay', path]);
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('');
    // Recorded by another commit, and the trace no longer matches: the build is named as the likely cause.
    result.build = { version: result.build.version, commit: '0123456789ab' };
    result.traceHash = '0000000000000000';
    writeFileSync(path, JSON.stringify(result));
    const other = await cli(['replay', path]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`the result was recorded by faultline ${result.build.version} (0123456789ab), this is ${buildInfo.version} (${buildInfo.commit}): a build mismatch is the likely cause`);
  });
});
