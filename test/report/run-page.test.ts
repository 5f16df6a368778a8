import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/effects.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { renderRunHtml } from '../../src/report/run-page/render-run-html.js';
import { runPageInput } from '../../src/report/run-page/write-run-report.js';
import type { RunOutput } from '../../src/run/run-result.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';
import { canvasColours, launchBrowser, openPage } from './browser.js';

const READY = '() => globalThis.__runReport && globalThis.__runReport.ready === true';
const directory = mkdtempSync(path.join(tmpdir(), 'faultline-run-page-'));

interface PageReport {
  mode: string;
  arrows: number;
  deliveredArrows: number;
  droppedArrows: number;
  duplicateArrows: number;
  view: { start: number; end: number };
  selected: { kind: string; id: number; text: string } | null;
}

/** A page with its run written to a temporary file. */
function writePage(name: string, output: RunOutput, renderMessage: (message: Message) => string): string {
  const file = path.join(directory, `${name}.html`);
  writeFileSync(file, renderRunHtml(runPageInput(output, renderMessage, `${name}/result.json`)));
  return file;
}

/**
 * Delivered messages whose flight [send, delivery] meets the window, counted straight from the
 * trace: each delivery is paired with the latest earlier send of the same message object on the
 * same link (a naive pairing, independent of the page's).
 */
function deliveredInWindow(trace: readonly TraceEvent[], start: number, end: number): number {
  const sends: { time: number; message: Message; from: number; to: number; used: boolean }[] = [];
  let count = 0;
  for (const event of trace) {
    if (event.kind === 'send' || event.kind === 'duplicate') sends.push({ time: event.time, message: event.message, from: event.from, to: event.to, used: false });
    if (event.kind === 'drop' || event.kind === 'deliver') {
      const send = sends.find((candidate) => !candidate.used && candidate.message === event.message && candidate.from === event.from && candidate.to === event.to);
      if (send === undefined) continue;
      send.used = true;
      if (event.kind === 'deliver' && send.time <= end && event.time >= start) count++;
    }
  }
  return count;
}

const hostileName = '<script>window.__injected = 1</script>';
const hostileKey = '"><img src=x onerror="window.__injected = 2">';
const rtl = '\u202Eevil\u202C';

/** A short Raft run with crashes, pauses, loss and duplication, then hostile strings put in. */
function hostileRun(): RunOutput {
  const scenario = parseScenario(
    `name: '${hostileName.replace(/'/g, "''")}'
nodes: 3
protocol: { name: raft }
network: { latency: { distribution: uniform, min: 1ms, max: 4ms }, loss: 0.05, duplicate: 0.05 }
workload: { kind: register, clients: 2, thinkTime: 30ms }
faults:
  - { at: 300ms, action: crash, node: 1, for: 200ms }
  - { at: 600ms, action: pause, node: 2, for: 100ms }
duration: 1s
check: { linearizability: register }
`,
    'hostile.yaml',
  );
  const output = runScenario(scenario, { keepTrace: true });
  const history = output.history.map((event) => ({ ...event, key: hostileKey, value: event.type === 'invoke' && event.f === 'read' ? null : `${rtl}<b>bold</b>` }));
  return { ...output, history, checked: undefined };
}

describe('the run report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws a lane per node and per client, arrows equal to the deliveries in a window, and the violation in view', async () => {
    const scenario = loadScenarioFile('scenarios/raft-lease-clock-skew.yaml');
    const output = runScenario(scenario, { keepTrace: true });
    expect(output.result.verdict.kind).toBe('not-linearizable');
    const protocol = findProtocol('raft')!;
    const file = writePage('skew', output, (message) => protocol.renderMessage(message));
    const { page, errors, requests, close } = await openPage(browser, file, READY);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('[data-node]:not([data-node^="client-"])').count()).toBe(scenario.nodes);
    expect(await page.locator('[data-node^="client-"]').count()).toBe(scenario.workload.clients);
    for (let node = 0; node < scenario.nodes; node++) expect(await page.locator(`[data-node="${node}"]`).count()).toBe(1);

    // The violation marker is there and inside the viewport on load, next to the offending read.
    const marker = page.locator('[data-violation]');
    await expect.poll(() => marker.count()).toBe(1);
    const box = (await marker.boundingBox())!;
    expect(box).not.toBeNull();
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1400);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    expect(await page.getByTestId('violation-text').textContent()).toMatch(/^not-linearizable at .* on client \d+: key k0/);
    expect(await page.getByTestId('details').textContent()).toMatch(/cannot order this operation/);

    // Windows in and out of a partition: one arrow per delivered message there.
    for (const [start, end] of [
      [1_200_000, 1_400_000],
      [4_000_000, 4_300_000],
    ] as const) {
      const report = (await page.evaluate(([s, e]) => (globalThis as any).__runReport.setView(s, e), [start, end])) as PageReport;
      expect(report.mode).toBe('arrows');
      const expected = deliveredInWindow(output.trace!, start, end);
      expect(expected).toBeGreaterThan(10);
      expect(report.deliveredArrows).toBe(expected);
    }
    expect(await canvasColours(page, '#diagram')).toBeGreaterThan(20);
    expect(await canvasColours(page, '#plots')).toBeGreaterThan(5);
    expect((await page.screenshot()).length).toBeGreaterThan(30_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await close();
  });

  it('shows a clicked message with its payload', async () => {
    const scenario = loadScenarioFile('scenarios/raft-lease-clock-skew.yaml');
    const output = runScenario(scenario, { keepTrace: true });
    const protocol = findProtocol('raft')!;
    const file = writePage('click', output, (message) => protocol.renderMessage(message));
    const { page, errors, close } = await openPage(browser, file, READY);
    // Zoom onto the first delivered message after 500 ms, so its arrow is long; aim at its middle.
    const target = await page.evaluate(() => {
      const report = (globalThis as any).__runReport;
      const messages = report.messages();
      for (let id = 0; id < messages.send.length; id++) {
        if (messages.fate[id] !== 0 || messages.send[id] < 500_000) continue;
        const flight = messages.end[id] - messages.send[id];
        report.setView(messages.send[id] - flight, messages.end[id] + flight);
        const x = (report.xOf(messages.send[id]) + report.xOf(messages.end[id])) / 2;
        const y = (report.laneMiddle(messages.from[id]) + report.laneMiddle(messages.to[id])) / 2;
        return { id, x, y };
      }
      return undefined;
    });
    expect(target).toBeDefined();
    const canvas = (await page.getByTestId('diagram').boundingBox())!;
    await page.mouse.click(canvas.x + target!.x, canvas.y + target!.y);
    const selected = (await page.evaluate(() => (globalThis as any).__runReport.selected)) as PageReport['selected'];
    expect(selected?.kind).toBe('message');
    expect(selected?.id).toBe(target!.id);
    const details = await page.getByTestId('details').textContent();
    expect(details).toMatch(/^message n\d → n\d\n/);
    // The payload: the protocol's rendering of exactly the message under the pointer.
    const sends = output.trace!.filter((event) => event.kind === 'send' || event.kind === 'duplicate');
    const renderings = new Set(sends.map((event) => protocol.renderMessage((event as { message: Message }).message)));
    const payload = details!.split('\n')[1]!;
    expect(renderings.has(payload)).toBe(true);
    expect(payload).toMatch(/^[A-Za-z]+/);
    expect(errors).toEqual([]);
    await close();
  });

  it('shows hostile scenario names, keys and values as text, runs none of their script, and makes no request', async () => {
    const output = hostileRun();
    expect(output.result.crashes).toBe(1);
    const hostileRender = (message: Message) => `${message.type}<img src=y onerror="window.__injected = 3">${rtl}`;
    const file = writePage('hostile', output, hostileRender);
    const { page, errors, requests, close } = await openPage(browser, file, READY);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('#title').textContent()).toContain(hostileName);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2); // the data and the page's own script
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected)).toBeUndefined();
    // Search finds the hostile value and the details show it verbatim.
    await page.getByTestId('search').fill('<b>bold</b>');
    await page.getByTestId('search').press('Enter');
    const details = await page.getByTestId('details').textContent();
    expect(details).toContain(hostileKey);
    // The right-to-left override is shown as its escape, never applied.
    expect(details).toContain(`\\u202Eevil\\u202C<b>bold</b>`);
    expect(await page.evaluate(() => (globalThis as any).document.body.innerText.includes('\u202E'))).toBe(false);
    const report = (await page.evaluate(() => (globalThis as any).__runReport.setView(0, 1_000_000))) as PageReport;
    expect(report.droppedArrows).toBeGreaterThan(0);
    expect(report.duplicateArrows).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(await canvasColours(page, '#diagram')).toBeGreaterThan(20);
    expect(requests).toEqual([]);
    await close();
  });
});

describe('an invariant violation in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(['scenarios/raft-figure8-unsafe.yaml', 'scenarios/zab-diff-without-trunc-unsafe.yaml'])('%s: the marker is in view on load, on the lane of the node whose step broke it', async (file) => {
    const scenario = loadScenarioFile(file);
    const output = runScenario(scenario, { keepTrace: true });
    expect(output.result.verdict.kind).toBe('invariant');
    const at = output.result.verdict.at!;
    const protocol = findProtocol(scenario.protocol.name)!;
    const page = writePage(path.basename(file, '.yaml'), output, (message) => protocol.renderMessage(message));
    const opened = await openPage(browser, page, READY);
    expect(await opened.page.locator('[data-node]:not([data-node^="client-"])').count()).toBe(scenario.nodes);
    const marker = opened.page.locator('[data-violation]');
    expect(await marker.count()).toBe(1);
    const box = (await marker.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1400);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    // Centred in time, and on the violating node's lane.
    const lane = (await opened.page.locator(`[data-node="${at.node}"]`).boundingBox())!;
    expect(box.y + box.height / 2).toBeGreaterThanOrEqual(lane.y);
    expect(box.y + box.height / 2).toBeLessThanOrEqual(lane.y + lane.height);
    const view = (await opened.page.evaluate(() => (globalThis as any).__runReport.view)) as PageReport['view'];
    expect(Math.abs((view.start + view.end) / 2 - at.time)).toBeLessThanOrEqual((view.end - view.start) * 0.01);
    expect(await opened.page.getByTestId('violation-text').textContent()).toMatch(/^invariant at .* on n\d+: invariant /);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    await opened.close();
  });
});
