import { mkdtempSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { registerProtocol } from '../../src/protocols/registry.js';
import type { SweepSummary } from '../../src/sweep/summary.js';
import { protocols } from '../fixtures/protocols/log-protocols.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The test-only protocols, as a setup module worker threads can load. */
export const LOG_PROTOCOLS = join(ROOT, 'test/fixtures/protocols/log-protocols.mjs');
export const fixtureScenario = (name: string) => join(ROOT, 'test/fixtures/scenarios', `${name}.yaml`);

/** Registers the test-only protocols in this thread (workers get them through `--import`). */
export function registerTestProtocols(): void {
  for (const protocol of protocols) registerProtocol(protocol);
}

export function temporaryDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `faultline-${prefix}-`));
}

export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo(ROOT);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

export function readSummary(directory: string): SweepSummary {
  return JSON.parse(readFileSync(join(directory, 'summary.json'), 'utf8')) as SweepSummary;
}

/** Every `failures/<scenario>/<seed>/result.json` under a sweep's output folder. */
export function failureResultFiles(directory: string): string[] {
  const root = join(directory, 'failures');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((scenario) =>
    readdirSync(join(root, scenario))
      .map((seed) => join(root, scenario, seed, 'result.json'))
      .filter((path) => existsSync(path)),
  );
}

/** (seed, verdict, trace hash) of every run: what two sweeps of the same seeds must agree on. */
export function fingerprint(summary: SweepSummary): { scenario: string; seed: number; verdict: string; traceHash: string }[] {
  return summary.scenarios.flatMap((scenario) => scenario.runs.map((run) => ({ scenario: scenario.name, seed: run.seed, verdict: run.verdict, traceHash: run.traceHash })));
}
