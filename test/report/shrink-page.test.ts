import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { canvasColoursIn, launchBrowser, openPage } from './browser.js';
import { failingScenarioText, hostileName } from './hostile.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGE_READY = '() => document.readyState === "complete"';

async function cli(args: string[]) {
  const io = bufferIo(ROOT);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The run report inside one of the shrink page's frames, once drawn. */
async function frameReport(frame: Frame): Promise<{ ready: boolean; traceEvents: number }> {
  // Interval polling: animation frames do not run in a throttled frame.
  await frame.waitForFunction('() => globalThis.__runReport && globalThis.__runReport.ready === true', undefined, { polling: 100 });
  return frame.evaluate(() => ({ ready: (globalThis as any).__runReport.ready, traceEvents: JSON.parse((globalThis as any).document.getElementById('run-data').textContent).traceEvents }));
}

describe('the shrink page', () => {
  const out = mkdtempSync(join(tmpdir(), 'faultline-shrink-page-'));
  let browser: Browser;
  let stdout = '';

  beforeAll(async () => {
    const scenario = join(out, 'failing.yaml');
    writeFileSync(scenario, failingScenarioText(hostileName));
    const run = await cli(['run', scenario, '--seed', '2', '--out', join(out, 'run'), '--no-html']);
    expect(run.code).toBe(1);
    const shrink = await cli(['shrink', join(out, 'run', 'result.json'), '--time-limit', '15s', '--quiet']);
    expect(shrink.code).toBe(0);
    stdout = shrink.stdout;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('is written beside shrunk.yaml and shows the original and the shrunk run side by side', async () => {
    const file = join(out, 'run', 'shrunk.html');
    expect(existsSync(file)).toBe(true);
    expect(stdout).toMatch(/page\s+.*shrunk\.html/);
    const { page, errors, requests, close } = await openPage(browser, file, PAGE_READY);
    const frames = { original: page.frameLocator('iframe[data-run="original"]'), shrunk: page.frameLocator('iframe[data-run="shrunk"]') };
    expect(await page.locator('iframe[data-run]').count()).toBe(2);
    const [left, right] = await Promise.all(['original', 'shrunk'].map(async (run) => (await page.locator(`iframe[data-run="${run}"]`).elementHandle())!.contentFrame()));
    const original = await frameReport(left!);
    const shrunk = await frameReport(right!);
    expect(shrunk.traceEvents).toBeLessThan(original.traceEvents);
    // Side by side: the shrunk frame starts to the right of the original one, on the same row.
    const boxes = await Promise.all(['original', 'shrunk'].map((run) => page.locator(`iframe[data-run="${run}"]`).boundingBox()));
    expect(boxes[1]!.x).toBeGreaterThanOrEqual(boxes[0]!.x + boxes[0]!.width - 1);
    expect(Math.abs(boxes[1]!.y - boxes[0]!.y)).toBeLessThan(2);
    // Each frame is a full run report with its lanes and violation.
    for (const frame of [frames.original, frames.shrunk]) {
      expect(await frame.locator('[data-node="0"]').count()).toBe(1);
      expect(await frame.locator('[data-violation]').count()).toBe(1);
    }
    // Chromium does not run animation frames in an iframe out of view, and the run page draws (and
    // sizes its canvas) in one: look at the frame as a reader would, scrolled into view.
    await page.locator('iframe[data-run="shrunk"]').scrollIntoViewIfNeeded();
    expect(await canvasColoursIn(right!, '#diagram')).toBeGreaterThan(10);
    expect((await page.screenshot()).length).toBeGreaterThan(30_000);
    expect(await page.getByTestId('failure').textContent()).toMatch(/not-linearizable/);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await close();
  });

  it('shows the hostile scenario name as text in both runs and runs none of its script', async () => {
    const html = readFileSync(join(out, 'run', 'shrunk.html'), 'utf8');
    expect(html).not.toContain('\u202E');
    const { page, errors, requests, close } = await openPage(browser, join(out, 'run', 'shrunk.html'), PAGE_READY);
    const shown = hostileName.replace('\u202E', '\\u202E');
    for (const run of ['original', 'shrunk']) {
      const frame = (await (await page.locator(`iframe[data-run="${run}"]`).elementHandle())!.contentFrame())!;
      await frameReport(frame);
      expect(await frame.locator('#title').textContent()).toMatch(new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-shrunk)? seed \\d+$`));
      expect(await frame.locator('img').count()).toBe(0);
      expect(await frame.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    }
    expect(await page.getByTestId('yaml').textContent()).toContain(shown);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await close();
  });
});
