import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import { writeRunOutput } from '../../src/report/write-run.js';
import { replayResultFile } from '../../src/run/replay.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { captureRun } from '../../src/shrink/capture-run.js';
import { runCandidate } from '../../src/shrink/candidate-runner.js';
import { scriptFromRun, scriptToYaml } from '../../src/shrink/event-script.js';
import { signatureOf } from '../../src/shrink/failure-signature.js';
import { shrinkRun } from '../../src/shrink/shrink.js';
import { renderMessageGeneric } from '../../src/trace/render.js';
import { fixtureScenario, registerTestProtocols, temporaryDirectory } from '../sweep/helpers.js';

const PLANTED = { kind: 'invariant', invariant: 'follower-log-is-leader-prefix' };

describe('faultline shrink', () => {
  beforeAll(registerTestProtocols);

  it('turns a run into an explicit event script that replays the very same run', () => {
    // The fixture's faults name random-minority targets; the script names the nodes they hit.
    const scenario = loadScenarioFile(fixtureScenario('planted-bug'));
    const original = runScenario(scenario, { seed: 1 }).result;
    const script = scriptFromRun(scenario, 1, captureRun(scenario, 1));

    expect(script.faults.map((fault) => fault.body.action)).toEqual(['partition', 'pause', 'crash', 'network', 'partition', 'crash']);
    for (const fault of script.faults) expect(JSON.stringify(fault.body)).not.toMatch(/random|leader/);
    expect(script.clients).toHaveLength(4);
    expect(runCandidate(scriptToYaml(script))?.traceHash).toBe(original.traceHash);
  });

  it('writes idle clients of a script as a map of the busy ones (no `- []`), and the run stays the same', () => {
    const scenario = loadScenarioFile(fixtureScenario('planted-bug'));
    const script = scriptFromRun(scenario, 1, captureRun(scenario, 1));
    const idle = { ...script, clients: script.clients.map((operations, index) => (index === 0 || index === 2 ? [] : operations.slice(0, 20))) };
    const yaml = scriptToYaml(idle);
    expect(yaml).not.toMatch(/- \[\]/);
    expect(yaml).toMatch(/^ {2}clients: 4$/m);
    expect(yaml).toMatch(/^ {4}1:\n {6}- \{ f: /m);
    // The same script in list form, with `- []` for the idle clients, runs the very same trace.
    const document = parseDocument(yaml);
    const byClient = document.getIn(['workload', 'script']) as { toJSON(): Record<string, unknown[]> };
    const map = byClient.toJSON();
    document.setIn(['workload', 'script'], [0, 1, 2, 3].map((client) => map[client] ?? []));
    document.deleteIn(['workload', 'clients']);
    const listForm = document.toString();
    expect(listForm).toMatch(/- \[\]/);
    expect(runCandidate(yaml)!.traceHash).toBe(runCandidate(listForm)!.traceHash);
    expect(parseScenario(yaml, 'idle.yaml').workload.script!.map((operations) => operations.length)).toEqual([0, 20, 0, 20]);
  });

  it('names the client a random client crash hit', () => {
    const scenario = parseScenario(
      `
nodes: 3
protocol: { name: planted-bug-log }
workload: { kind: register, clients: 3, thinkTime: 10ms }
faults: [{ at: 100ms, every: 100ms, action: crash-client, client: random }]
duration: 450ms
`,
      'client-crashes.yaml',
    );
    const original = runScenario(scenario, { seed: 9 }).result;
    const script = scriptFromRun(scenario, 9, captureRun(scenario, 9));

    expect(script.faults).toHaveLength(4);
    for (const fault of script.faults) expect(fault.body).toEqual({ action: 'crash-client', client: expect.any(Number) });
    expect(runCandidate(scriptToYaml(script))?.traceHash).toBe(original.traceHash);
  });

  it('shrinks a planted bug hidden in 11,000 events to a scenario ≥5× smaller that fails the same way on its own', () => {
    const scenario = loadScenarioFile(fixtureScenario('planted-bug'));
    const original = runScenario(scenario, { seed: 3 }).result;
    expect(signatureOf(original)).toEqual(PLANTED);

    const outcome = shrinkRun(original, { timeLimitMs: 40_000 });

    expect(outcome.failure).toEqual(PLANTED);
    expect(outcome.before.events / outcome.after.events).toBeGreaterThanOrEqual(5);
    expect(outcome.after.faults).toBeLessThan(outcome.before.faults);
    expect(outcome.after.operations).toBeLessThan(outcome.before.operations / 10);
    expect(outcome.yaml, 'idle clients are left out, not written as - []').not.toMatch(/- \[\]/);
    // The YAML alone (its own fixed seed, no options) reproduces the failure…
    const shrunk = runScenario(parseScenario(outcome.yaml, 'shrunk.yaml'));
    expect(signatureOf(shrunk.result)).toEqual(PLANTED);
    expect(shrunk.result.events).toBe(outcome.after.events);
    // …and its result.json replays to the same trace.
    const directory = temporaryDirectory('shrunk');
    writeRunOutput(directory, shrunk, renderMessageGeneric);
    const replay = replayResultFile(join(directory, 'result.json'));
    expect(replay.matches).toBe(true);
    expect(signatureOf(replay.replay.result)).toEqual(PLANTED);
  });

  it('refuses a run that passed', () => {
    const scenario = parseScenario('nodes: 3\nprotocol: { name: planted-bug-log }\nduration: 200ms\n', 'fine.yaml');
    const passing = runScenario(scenario, { seed: 1 }).result;

    expect(() => shrinkRun(passing)).toThrow(/nothing to shrink: seed 1 passed/);
  });

  it('keeps the best scenario found when the time limit strikes', () => {
    const scenario = loadScenarioFile(fixtureScenario('planted-bug'));
    const original = runScenario(scenario, { seed: 1 }).result;
    let now = 0;
    const outcome = shrinkRun(original, { timeLimitMs: 5, clock: () => now++ }); // five candidate runs

    expect(outcome.timedOut).toBe(true);
    expect(outcome.runs).toBeLessThanOrEqual(6);
    expect(signatureOf(runScenario(parseScenario(outcome.yaml)).result)).toEqual(PLANTED);
  });
});
