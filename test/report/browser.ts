import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Debian chromium for the page tests. The page tests never pass by skipping: without the
 * browser they fail, saying how to install it (.ci/run installs it in CI).
 */
export const chromiumPath = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: the report tests need it (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request for anything but the page itself; each was aborted. */
  requests: string[];
  close(): Promise<void>;
}

/** Opens a page from file://, intercepting every other request (recorded, then aborted). */
export async function openPage(browser: Browser, file: string, ready: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const url = 'file://' + file;
  await page.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForFunction(ready);
  return { page, errors, requests, close: () => context.close() };
}

/** How many distinct colours a canvas shows (a blank canvas has one). */
export async function canvasColours(page: Page, selector: string): Promise<number> {
  return page.evaluate((query) => {
    // Runs in the page: the DOM types are not in this project's lib, hence the loose typing.
    const canvas = (globalThis as any).document.querySelector(query);
    const pixels: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length && seen.size < 1000; i += 4 * 7) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, selector);
}

/** `canvasColours` for a canvas inside a frame. */
export async function canvasColoursIn(frame: import('playwright-core').Frame, selector: string): Promise<number> {
  // A frame lays out (and sizes its canvas) on its own schedule; on a loaded machine the canvas
  // can still be 0 wide when the test gets here. Wait until the page itself has drawn at the
  // canvas's laid-out width. Poll on an interval: the default polls on animation frames, which
  // Chromium does not run in a throttled frame.
  await frame.waitForFunction(
    (query) => {
      const canvas = (globalThis as any).document.querySelector(query);
      const drawn = (globalThis as any).__runReport?.drawnWidth ?? 0;
      return canvas !== null && canvas.width > 0 && drawn > 0 && drawn === canvas.clientWidth;
    },
    selector,
    { polling: 100 },
  );
  return frame.evaluate((query) => {
    const canvas = (globalThis as any).document.querySelector(query);
    const pixels: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length && seen.size < 1000; i += 4 * 7) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, selector);
}
