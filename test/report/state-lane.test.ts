import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProtocol } from '../../src/protocols/registry.js';
import { renderRunHtml } from '../../src/report/run-page/render-run-html.js';
import { runPageInput } from '../../src/report/run-page/write-run-report.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { launchBrowser, openPage } from './browser.js';

const READY = '() => globalThis.__runReport && globalThis.__runReport.ready === true';
const directory = mkdtempSync(path.join(tmpdir(), 'faultline-state-lane-'));

/** One healthy scenario per protocol that the report's state lane must draw. */
const PROTOCOLS = [
  { protocol: 'raft', scenario: 'scenarios/raft-healthy.yaml', leaderRole: 'leader' },
  { protocol: 'primary-backup', scenario: 'scenarios/pb-healthy.yaml', leaderRole: 'primary' },
  { protocol: 'multi-paxos', scenario: 'scenarios/paxos-healthy.yaml', leaderRole: 'leader' },
  { protocol: 'zab', scenario: 'scenarios/zab-healthy.yaml', leaderRole: 'leading' },
  { protocol: 'two-phase-commit', scenario: 'scenarios/2pc-healthy.yaml', leaderRole: 'coordinator' },
] as const;

describe('the node state lane', () => {
  it.each(PROTOCOLS)('$protocol summarises its state; the summaries are kept with the trace and change no hash', ({ protocol: name, scenario: file, leaderRole }) => {
    const protocol = findProtocol(name)!;
    expect(protocol.summarizeState).toBeTypeOf('function');
    const scenario = loadScenarioFile(file);
    const traced = runScenario(scenario, { keepTrace: true });
    const plain = runScenario(scenario);
    expect(traced.result.traceHash).toBe(plain.result.traceHash);
    expect(plain.states).toBeUndefined();
    const states = traced.states!;
    // Every node has a summary from its start, and summaries are kept only when they change.
    for (let node = 0; node < scenario.nodes; node++) expect(states.some((change) => change.node === node && change.time === 0)).toBe(true);
    for (let index = 1; index < states.length; index++) expect(states[index]!.time).toBeGreaterThanOrEqual(states[index - 1]!.time);
    const last = new Map<number, string>();
    for (const change of states) {
      const key = JSON.stringify(change.summary);
      expect(last.get(change.node)).not.toBe(key);
      last.set(change.node, key);
    }
    // A healthy run elects (or has) a leader, and its commit point moves.
    expect(states.some((change) => change.summary.role.split('/')[0] === leaderRole)).toBe(true);
    expect(Math.max(...states.map((change) => change.summary.commit))).toBeGreaterThan(0);
  });

  it('records a crashed node as down until it restarts', () => {
    const output = runScenario(loadScenarioFile('scenarios/raft-crash-restart-storm.yaml'), { keepTrace: true });
    const crashes = output.trace!.filter((event) => event.kind === 'crash');
    expect(crashes.length).toBeGreaterThan(0);
    for (const crash of crashes) {
      const change = output.states!.find((candidate) => candidate.node === (crash as { node: number }).node && candidate.time === crash.time && candidate.summary.role === 'down');
      expect(change).toBeDefined();
    }
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it.each(PROTOCOLS)('$protocol: the page draws the state lane and a clicked message shows the receiver before and after', async ({ protocol: name, scenario: file }) => {
      const protocol = findProtocol(name)!;
      const output = runScenario(loadScenarioFile(file), { keepTrace: true });
      const page = path.join(directory, `${name}.html`);
      writeFileSync(page, renderRunHtml(runPageInput(output, (message) => protocol.renderMessage(message), file)));
      const opened = await openPage(browser, page, READY);
      const report = await opened.page.evaluate(() => (globalThis as any).__runReport.setView(0, 400_000));
      expect(report.states).toBeGreaterThanOrEqual(output.result.messages.sent > 0 ? 3 : 1);
      // Click the middle of the first delivered message after 100 ms, zoomed so the arrow is long.
      const target = await opened.page.evaluate(() => {
        const r = (globalThis as any).__runReport;
        const messages = r.messages();
        for (let id = 0; id < messages.send.length; id++) {
          if (messages.fate[id] !== 0 || messages.send[id] < 100_000) continue;
          const flight = messages.end[id] - messages.send[id];
          r.setView(messages.send[id] - flight, messages.end[id] + flight);
          return { id, x: (r.xOf(messages.send[id]) + r.xOf(messages.end[id])) / 2, y: (r.laneMiddle(messages.from[id]) + r.laneMiddle(messages.to[id])) / 2, to: messages.to[id] };
        }
        return undefined;
      });
      expect(target).toBeDefined();
      const canvas = (await opened.page.getByTestId('diagram').boundingBox())!;
      await opened.page.mouse.click(canvas.x + target!.x, canvas.y + target!.y);
      const details = (await opened.page.getByTestId('details').textContent())!;
      expect(details).toMatch(/^message n\d → n\d\n/);
      const before = new RegExp(`\\nn${target!.to} state before: (\\S+) e(\\d+) leader (n\\d+|-) commit (\\d+)`).exec(details);
      const after = new RegExp(`\\nn${target!.to} state after: +(\\S+) e(\\d+) leader (n\\d+|-) commit (\\d+)`).exec(details);
      expect(before).not.toBeNull();
      expect(after).not.toBeNull();
      // The "after" line is the receiver's summary in force right after the delivery, from the run itself.
      const delivery = (await opened.page.evaluate((id) => (globalThis as any).__runReport.messages().end[id], target!.id)) as number;
      const inForce = output.states!.filter((change) => change.node === target!.to && change.time <= delivery).at(-1)!;
      expect(after![1]).toBe(inForce.summary.role);
      expect(Number(after![2])).toBe(inForce.summary.epoch);
      expect(Number(after![4])).toBe(inForce.summary.commit);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
      await opened.close();
    });
  });
});
