import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { SweepSummary } from '../../src/sweep/summary.js';
import { launchBrowser, openPage } from './browser.js';
import { failingScenarioText, hostileName } from './hostile.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_READY = '() => globalThis.__runReport && globalThis.__runReport.ready === true';
const PAGE_READY = '() => document.readyState === "complete"';

async function cli(args: string[]) {
  const io = bufferIo(ROOT);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('the sweep page (summary.html)', () => {
  const out = mkdtempSync(join(tmpdir(), 'faultline-sweep-page-'));
  const scenarioFile = join(out, 'failing.yaml');
  let browser: Browser;
  let summary: SweepSummary;

  beforeAll(async () => {
    writeFileSync(scenarioFile, failingScenarioText(hostileName));
    const sweep = await cli(['sweep', scenarioFile, 'scenarios/pb-healthy.yaml', '--seeds', '6', '--workers', '0', '--out', join(out, 'sweep')]);
    expect(sweep.code).toBe(1);
    expect(sweep.stdout).toContain('summary.html');
    summary = JSON.parse(readFileSync(join(out, 'sweep', 'summary.json'), 'utf8'));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('counts passes and failures per scenario and links every failing seed to its own report', async () => {
    const failing = summary.scenarios[0]!;
    expect(failing.totals.failed).toBeGreaterThanOrEqual(2);
    expect(summary.scenarios[1]!.totals.failed).toBe(0);
    const file = join(out, 'sweep', 'summary.html');
    const { page, errors, requests, close } = await openPage(browser, file, PAGE_READY);
    for (const [index, scenario] of summary.scenarios.entries()) {
      const row = page.locator(`[data-scenario-row="${index}"]`);
      expect(await row.locator('[data-passed]').textContent()).toBe(String(scenario.totals.passed));
      expect(await row.locator('[data-failed]').textContent()).toBe(String(scenario.totals.failed));
      // One histogram per metric, each with a bar per occupied bin.
      expect(await page.locator(`[data-scenario="${index}"] figure[data-metric]`).count()).toBe(3);
      expect(await page.locator(`[data-scenario="${index}"] figure[data-metric="events"] rect`).count()).toBeGreaterThan(1);
    }
    const links = page.locator('[data-scenario="0"] li[data-seed] a[data-report]');
    expect(await links.count()).toBe(failing.totals.failed);
    for (const run of failing.runs.filter((candidate) => candidate.failed)) {
      const href = await page.locator(`[data-scenario="0"] li[data-seed="${run.seed}"] a`).getAttribute('href');
      expect(href).toBe(`${run.failureDirectory!.split('/').map(encodeURIComponent).join('/')}/report.html`);
      expect(existsSync(join(out, 'sweep', run.failureDirectory!, 'report.html'))).toBe(true);
    }
    expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    // The link's target (resolved against the page, as a click would) is that seed's run report, with its violation marked.
    const firstFailure = failing.runs.find((run) => run.failed)!;
    const target = await page.locator(`[data-scenario="0"] li[data-seed="${firstFailure.seed}"] a`).evaluate((link) => (link as unknown as { href: string }).href);
    expect(decodeURIComponent(new URL(target).pathname)).toBe(join(out, 'sweep', firstFailure.failureDirectory!, 'report.html'));
    await close();
    const report = await openPage(browser, join(out, 'sweep', firstFailure.failureDirectory!, 'report.html'), RUN_READY);
    expect(await report.page.locator('[data-violation]').count()).toBe(1);
    expect(await report.page.getByTestId('violation-text').textContent()).toMatch(/^not-linearizable at /);
    expect(report.errors).toEqual([]);
    expect(report.requests).toEqual([]);
    await report.close();
  });

  it('shows hostile scenario names as text, escapes the right-to-left override, and runs none of their script', async () => {
    const html = readFileSync(join(out, 'sweep', 'summary.html'), 'utf8');
    expect(html).not.toContain('\u202E');
    expect(html).not.toContain('<img');
    const { page, errors, requests, close } = await openPage(browser, join(out, 'sweep', 'summary.html'), PAGE_READY);
    const shown = hostileName.replace('\u202E', '\\u202E');
    expect(await page.locator('[data-scenario="0"] h2').textContent()).toBe(shown);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await close();
    // The failing seed's own report shows the same name as text.
    const run = summary.scenarios[0]!.runs.find((candidate) => candidate.failed)!;
    const report = await openPage(browser, join(out, 'sweep', run.failureDirectory!, 'report.html'), RUN_READY);
    expect(await report.page.locator('#title').textContent()).toBe(`${shown} seed ${run.seed}`);
    expect(await report.page.locator('img').count()).toBe(0);
    expect(await report.page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expect(report.errors).toEqual([]);
    expect(report.requests).toEqual([]);
    await report.close();
  });
});
