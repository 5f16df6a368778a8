import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { compareProtocols, withProtocol, type Comparison } from '../../src/compare/compare-protocols.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';

const KV_PROTOCOLS = ['raft', 'multi-paxos', 'zab', 'primary-backup'];

describe('faultline compare: the same faults at the same times for every protocol', () => {
  it('a crash-restart storm aimed at random nodes: every protocol meets the identical fault schedule', () => {
    const comparison = compareProtocols(loadScenarioFile('scenarios/raft-crash-restart-storm.yaml'), { protocols: KV_PROTOCOLS, seeds: [1], ladder: false });
    const schedules = comparison.protocols.map((protocol) => protocol.faultSchedules[0]!);
    expect(schedules[0]!.length).toBeGreaterThan(10);
    for (const schedule of schedules) expect(schedule).toEqual(schedules[0]);
  });

  it('a fault aimed at "the leader" hits each protocol\'s own leader, at the same times', () => {
    const comparison = compareProtocols(loadScenarioFile('scenarios/raft-leader-isolated.yaml'), { protocols: ['raft', 'zab'], seeds: [1], ladder: false });
    const shape = (schedule: string[]) => schedule.map((event) => event.replace(/n\d+/g, 'n?'));
    const [raft, zab] = comparison.protocols.map((protocol) => shape(protocol.faultSchedules[0]!));
    expect(raft).toEqual(zab);
    expect(raft![0]).toBe('3000000 start partition isolate n?');
  });

  it('measures each protocol: verdicts, the consistency ladder, availability, latency and leader changes', () => {
    const comparison: Comparison = compareProtocols(loadScenarioFile('scenarios/raft-leader-isolated.yaml'), { protocols: ['raft', 'primary-backup'], seeds: [1, 2] });
    for (const protocol of comparison.protocols) {
      expect(protocol.verdicts, protocol.protocol).toEqual({ pass: 2 });
      expect(protocol.consistency['linearizable'], protocol.protocol).toEqual({ holds: 2, violated: 0, unknown: 0 });
      expect(protocol.availability).toBeGreaterThan(0.5);
      expect(protocol.availability).toBeLessThanOrEqual(1);
      expect(protocol.latencyMs.p50).toBeLessThanOrEqual(protocol.latencyMs.p99!);
      expect(protocol.latencyMs.p99).toBeLessThanOrEqual(protocol.latencyMs.max!);
      // Isolating the leader for 5 s forces at least one new leader in each run.
      expect(protocol.leaderChanges, protocol.protocol).toBeGreaterThanOrEqual(1);
    }
    expect(comparison.protocols.map((protocol) => protocol.options)).toEqual(['scenario', 'defaults']);
  });

  it('a scenario naming another protocol\'s message cannot be moved to a protocol that lacks it', () => {
    const scenario = loadScenarioFile('scenarios/raft-crash-after-vote-unsafe.yaml');
    expect(() => withProtocol(scenario, 'zab')).toThrow(InputError);
    expect(() => withProtocol(scenario, 'zab')).toThrow(/^with protocol zab: .*vote-response/);
  });

  it('the CLI prints the table and writes compare.md, compare.json and compare.html; a wrong name exits 2', async () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-compare-'));
    const io = bufferIo();
    expect(await runCli(['compare', 'scenarios/raft-healthy.yaml', '--protocols', 'raft,zab', '--seeds', '1', '--out', out], io)).toBe(0);
    expect(io.stdout).toMatch(/^faultline compare: raft-healthy, seeds 1\n +raft +zab\n/);
    expect(io.stdout).toMatch(/\n  availability +\d+\.\d% +\d+\.\d%\n/);
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as Comparison;
    expect(json.protocols.map((protocol) => protocol.protocol)).toEqual(['raft', 'zab']);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toMatch(/^\| raft-healthy \| raft \| zab \|\n\|---\|---\|---\|\n/);
    const page = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(page).toContain('<table data-comparison>');
    expect(page).not.toMatch(/<script|https?:\/\//);
    const bad = bufferIo();
    expect(await runCli(['compare', 'scenarios/raft-healthy.yaml', '--protocols', 'raft,zap'], bad)).toBe(2);
    expect(bad.stderr).toMatch(/unknown protocol "zap" in --protocols; did you mean zab\?/);
  });
});
