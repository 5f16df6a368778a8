import { parseDocument } from 'yaml';
import { loadScenarioFile, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';

/**
 * The scenarios a sweep runs, as the runs will see them. `--swarm` is written into the scenario's
 * text (not passed beside it), so each failing seed's result.json, which embeds that text, replays
 * on its own.
 */
export function planScenarios(files: readonly string[], swarm: boolean): Scenario[] {
  return files.map((file) => withSwarm(loadScenarioFile(file), swarm));
}

export function withSwarm(scenario: Scenario, swarm: boolean): Scenario {
  if (!swarm || scenario.swarm) return scenario;
  const document = parseDocument(scenario.source);
  document.set('swarm', true);
  return parseScenario(document.toString(), scenario.file);
}
