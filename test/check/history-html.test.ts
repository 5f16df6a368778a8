import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';
import { renderHistoryHtml } from '../../src/report/history-html.js';

const chromiumPath = '/usr/bin/chromium';
const available = existsSync(chromiumPath);
if (!available && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing in CI: .ci/run installs Debian's chromium package for this test`);
}
if (!available) console.log(`skipping the HTML report tests: ${chromiumPath} is missing (apt-get install -y chromium)`);

const hostileWrite = '</script><img src=x onerror="window.__injected = 1">';
const hostileRead = '<img src=y onerror="window.__injected = 2"><script>window.__injected = 3</script>';

/** A register history with hostile strings in values, not linearizable: a read of a value nobody wrote. */
function hostileHistory(): HistoryEvent[] {
  return [
    { process: 0, type: 'invoke', f: 'write', value: hostileWrite, time: 0 },
    { process: 0, type: 'ok', f: 'write', value: hostileWrite, time: 10 },
    { process: 1, type: 'invoke', f: 'read', value: null, time: 20 },
    { process: 1, type: 'ok', f: 'read', value: hostileRead, time: 30 },
  ];
}

/** 100,000 operations: 10 clients, each writing its own values and reading them back. */
function largeHistory(): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let time = 0;
  for (let round = 0; round < 10_000; round++) {
    for (let client = 0; client < 10; client++) {
      const key = `k${client}`;
      const value = round;
      const f = round % 2 === 0 ? 'write' : 'read';
      events.push({ process: client, type: 'invoke', f, key, value: f === 'write' ? value : null, time: time++ });
      events.push({ process: client, type: 'ok', f, key, value: f === 'write' ? value : round - 1, time: time++ });
    }
  }
  return events;
}

describe.runIf(available)('the HTML history report in headless Chromium', () => {
  let browser: Browser;
  const directory = mkdtempSync(path.join(tmpdir(), 'faultline-html-'));

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto('file://' + file);
    await page.waitForFunction(() => (globalThis as unknown as { __historyReport?: unknown }).__historyReport !== undefined);
    return { page, errors, requests, close: () => context.close() };
  }

  it('shows the violation, highlights the offending operation and escapes hostile values', async () => {
    const model = modelByName('register')!;
    const history = hostileHistory();
    const result = checkHistory(history, model);
    expect(result.verdict).toBe('not linearizable');
    const file = path.join(directory, 'hostile.html');
    writeFileSync(file, renderHistoryHtml(result, history, model, { title: 'hostile <b>title</b>' }));
    const { page, errors, requests, close } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.getByTestId('verdict').textContent()).toBe('NOT LINEARIZABLE');
    const offending = await page.getByTestId('offending').locator('li').allTextContents();
    expect(offending.some((text) => text.includes('read → ') && text.includes(JSON.stringify(hostileRead)))).toBe(true);
    expect(await page.getByTestId('summary').textContent()).toMatch(/no operation ever writes it/);
    // Nothing injected: no img element, no b element, no script ran, the strings are shown as text.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(await page.locator('#title').textContent()).toContain('hostile <b>title</b>');
    const report = await page.evaluate(() => (globalThis as unknown as { __historyReport: { drawn: number } }).__historyReport);
    expect(report.drawn).toBeGreaterThan(0);
    await close();
  });

  it('opens a 100,000-operation history, draws only what is visible, and stays interactive', async () => {
    const model = modelByName('register')!;
    const history = largeHistory();
    const result = checkHistory(history, model, { timeoutMs: 60_000 });
    expect(result.operations).toHaveLength(100_000);
    expect(result.verdict).toBe('linearizable');
    const file = path.join(directory, 'large.html');
    writeFileSync(file, renderHistoryHtml(result, history, model, { title: 'large' }));
    const { page, errors, close } = await open(file);
    expect(errors).toEqual([]);
    expect(await page.getByTestId('verdict').textContent()).toBe('LINEARIZABLE');
    const before = await page.evaluate(() => (globalThis as unknown as { __historyReport: { drawn: number } }).__historyReport.drawn);
    expect(before).toBeGreaterThan(0);
    // Whole history in 1,200 pixels: many operations share a pixel column and are drawn once.
    expect(before).toBeLessThan(100_000);
    const canvas = page.getByTestId('canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    for (let zoom = 0; zoom < 20; zoom++) await page.mouse.wheel(0, -200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + 100, { steps: 4 });
    await page.mouse.up();
    const after = await page.evaluate(() => (globalThis as unknown as { __historyReport: { drawn: number } }).__historyReport.drawn);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
    expect(errors).toEqual([]);
    await close();
  });
});

