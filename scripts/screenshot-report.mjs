#!/usr/bin/env node
// `npm run docs:screenshot`: docs/report.png, the README's picture of the run report, made from a
// real failing run: scenarios/raft-lease-clock-skew.yaml (Raft lease reads under clock skew; its
// seed serves a stale read, and the checker finds the history not linearizable). The page opens
// in headless Chromium exactly as `faultline run` writes it, centred on the violation.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findProtocol } from '../dist/protocols/registry.js';
import { renderRunHtml } from '../dist/report/run-page/render-run-html.js';
import { runPageInput } from '../dist/report/run-page/write-run-report.js';
import { runScenario } from '../dist/run/run-scenario.js';
import { loadScenarioFile } from '../dist/scenario/load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCENARIO = 'scenarios/raft-lease-clock-skew.yaml';
const OUT = join(root, 'docs', 'report.png');

const scenario = loadScenarioFile(join(root, SCENARIO));
const output = runScenario(scenario, { keepTrace: true });
if (output.result.verdict.kind === 'pass') throw new Error(`${SCENARIO} passed: the screenshot wants a failing run`);
const protocol = findProtocol(scenario.protocol.name);
const file = join(mkdtempSync(join(tmpdir(), 'faultline-screenshot-')), 'report.html');
writeFileSync(file, renderRunHtml(runPageInput(output, (message) => protocol.renderMessage(message), `${SCENARIO} seed ${output.result.seed}`)));

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.route('**/*', (route) => (route.request().url() === 'file://' + file ? route.continue() : route.abort()));
  await page.goto('file://' + file);
  await page.waitForFunction(() => globalThis.__runReport && globalThis.__runReport.ready === true);
  await page.screenshot({ path: OUT });
} finally {
  await browser.close();
}
console.log(`docs/report.png: ${SCENARIO} seed ${output.result.seed}, verdict ${output.result.verdict.kind}, ${output.result.traceEvents} events, ${statSync(OUT).size} bytes`);
