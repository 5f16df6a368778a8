import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** Bad Zab input on the command line, as for every protocol: exit 2, one line, file:line:col, the valid names. */
async function runText(text: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'faultline-zab-')), 'zab.yaml');
  writeFileSync(file, text);
  const io = bufferIo();
  const code = await runCli(['run', file, '--out', join(tmpdir(), 'faultline-never-written')], io);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

const scenario = (extra: string[], faults: string[] = []) =>
  ['nodes: 3', 'protocol:', '  name: zab', ...extra, 'duration: 1s', ...(faults.length > 0 ? ['faults:', ...faults] : [])].join('\n');

function expectOneLineExit2(result: { code: number; stderr: string; stdout: string }): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('bad Zab input on the command line', () => {
  it('an unknown option exits 2 naming the place and suggesting the valid name', async () => {
    const result = await runText(scenario(['  options: { tickMS: 50 }']));
    expectOneLineExit2(result);
    expect(result.stderr).toMatch(/^faultline: .*zab\.yaml:4:\d+: protocol\.options\.tickMS: unknown zab option "tickMS"; did you mean tickMs\?/);
  });

  it('an unknown read mode exits 2 with the two read modes Zab has', async () => {
    const result = await runText(scenario(['  options: { readMode: linearizable }']));
    expectOneLineExit2(result);
    expect(result.stderr).toMatch(/zab\.yaml:4:\d+: protocol\.options\.readMode: expected one of local, sync, got "linearizable"/);
  });

  it('an ill-typed option exits 2 naming the expected type and unit', async () => {
    const result = await runText(scenario(['  options: { tickMs: soon }']));
    expectOneLineExit2(result);
    expect(result.stderr).toMatch(/zab\.yaml:4:\d+: protocol\.options\.tickMs: expected an integer number of milliseconds/);
  });

  it("a fault triggered by a message Zab does not have (Raft's vote-request) exits 2 listing Zab's", async () => {
    const result = await runText(scenario([], ['  - { at: 0ms, after: { send: vote-request }, action: crash, node: sender, for: 1ms }']));
    expectOneLineExit2(result);
    expect(result.stderr).toMatch(/zab\.yaml:6:\d+: faults\[0\]\.after\.send: zab sends no message of type "vote-request"; .*notification, followerinfo, leaderinfo, ackepoch, diff, trunc, snap, newleader/);
  });

  it('a misspelt Zab message gets a suggestion', async () => {
    const result = await runText(scenario([], ['  - { at: 0ms, after: { send: proposl }, action: crash, node: sender, for: 1ms }']));
    expectOneLineExit2(result);
    expect(result.stderr).toMatch(/did you mean proposal\?/);
  });

  it('faultline list shows every Zab option with its default and unit', async () => {
    const io = bufferIo();
    expect(await runCli(['list', '--json'], io)).toBe(0);
    const listing = JSON.parse(io.stdout) as { protocols: { name: string; options: { name: string; default: unknown; unit?: string }[] }[] };
    const options = listing.protocols.find((protocol) => protocol.name === 'zab')!.options;
    expect(options.filter((option) => option.unit !== undefined).map((option) => [option.name, option.default, option.unit])).toEqual([
      ['tickMs', 50, 'ms'],
      ['notificationRetryMs', 100, 'ms'],
      ['finalizeWaitMs', 20, 'ms'],
      ['snapshotThreshold', 1000, 'entries'],
      ['maxRetransmit', 64, 'entries'],
      ['maxPendingRequests', 10_000, 'requests'],
    ]);
    expect(options.map((option) => option.name)).toContain('readMode');
  });
});
