#!/usr/bin/env node
// `npm run bench:report`: how long the run report takes to become interactive in headless
// Chromium, and how big the file is, for runs of about 10k, 100k and 1M trace events. Real runs
// (a 5-node Raft cluster under loss, crashes and partitions), rendered by the same code as
// `faultline run`; the page reports `readyAt` (performance.now() when its first full draw is done
// and every handler is attached, from navigation start). Then one zoom redraw and one click are
// timed. Goal: interactive in < 2 s at 100k events. Not a test: nothing here asserts a time.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findProtocol } from '../dist/protocols/registry.js';
import { renderRunHtml } from '../dist/report/run-page/render-run-html.js';
import { runPageInput } from '../dist/report/run-page/write-run-report.js';
import { runScenario } from '../dist/run/run-scenario.js';
import { parseScenario } from '../dist/scenario/load.js';

const CHROMIUM = '/usr/bin/chromium';
const TARGETS = (process.env.BENCH_REPORT_EVENTS ?? '10000,100000,1000000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPORT_REPEATS ?? 3);

function scenarioText(durationMs) {
  return `name: report-bench
seed: 11
nodes: 5
protocol: { name: raft }
network: { latency: { distribution: uniform, min: 1ms, max: 5ms }, loss: 0.01, duplicate: 0.01 }
workload: { kind: cas-register, clients: 5, thinkTime: 15ms, keys: 3 }
faults:
  - { at: 700ms, every: 2s, action: crash, node: random-minority, for: 300ms }
  - { at: 1500ms, every: 4s, action: partition, partition: { shape: isolate, node: leader }, for: 800ms }
duration: ${durationMs}ms
check: { invariants: true }
limits: { events: 100000000 }
`;
}

if (!existsSync(CHROMIUM)) {
  console.error(`bench:report: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  process.exit(1);
}
const protocol = findProtocol('raft');
const render = (message) => protocol.renderMessage(message);
// Trace events per simulated millisecond, from a short run, to size each run to its target.
const probe = runScenario(parseScenario(scenarioText(4000), 'report-bench.yaml')).result;
const perMs = probe.traceEvents / 4000;

const directory = mkdtempSync(join(tmpdir(), 'faultline-report-bench-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
const rows = [];
try {
  for (const target of TARGETS) {
    const durationMs = Math.max(100, Math.round(target / perMs));
    const output = runScenario(parseScenario(scenarioText(durationMs), 'report-bench.yaml'), { keepTrace: true });
    const renderStarted = performance.now(); // wall clock ok: a benchmark
    const html = renderRunHtml(runPageInput(output, render, 'report-bench'));
    const renderMs = performance.now() - renderStarted; // wall clock ok
    const file = join(directory, `report-${target}.html`);
    writeFileSync(file, html);
    const times = [];
    let zoomMs = 0;
    let clickMs = 0;
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.route('**/*', (route) => (route.request().url() === 'file://' + file ? route.continue() : route.abort()));
      await page.goto('file://' + file);
      await page.waitForFunction(() => globalThis.__runReport && globalThis.__runReport.ready === true, undefined, { timeout: 120_000 });
      times.push(await page.evaluate(() => globalThis.__runReport.readyAt));
      // One redraw of the whole run, then one click in the middle of the diagram.
      zoomMs = await page.evaluate(() => {
        const started = performance.now();
        globalThis.__runReport.setView(0, globalThis.__runReport.timeEnd);
        return performance.now() - started;
      });
      clickMs = await page.evaluate(() => {
        const started = performance.now();
        globalThis.__runReport.selectAt(600, 120);
        return performance.now() - started;
      });
      await context.close();
    }
    times.sort((a, b) => a - b);
    rows.push({ target, traceEvents: output.result.traceEvents, messages: output.result.messages.sent, bytes: statSync(file).size, renderMs, interactiveMs: times[Math.floor(times.length / 2)], zoomMs, clickMs });
    const row = rows.at(-1);
    console.log(
      `report ${String(row.traceEvents).padStart(9)} events: interactive ${row.interactiveMs.toFixed(0).padStart(5)} ms (median of ${REPEATS}), file ${(row.bytes / 1e6).toFixed(1).padStart(6)} MB, render in node ${row.renderMs.toFixed(0)} ms, whole-run redraw ${row.zoomMs.toFixed(0)} ms, click ${row.clickMs.toFixed(1)} ms`,
    );
  }
} finally {
  await browser.close();
}
console.log('\n| trace events | messages | file size | interactive (median) | whole-run redraw | click |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(`| ${row.traceEvents.toLocaleString('en-US')} | ${row.messages.toLocaleString('en-US')} | ${(row.bytes / 1e6).toFixed(1)} MB | ${(row.interactiveMs / 1000).toFixed(2)} s | ${row.zoomMs.toFixed(0)} ms | ${row.clickMs.toFixed(1)} ms |`);
