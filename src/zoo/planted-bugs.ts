import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyProtocol } from '../protocol/protocol.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';

/** One planted bug: a protocol's `unsafe…` option, with where it comes from and what should catch it. */
export interface PlantedBug {
  /** `raft/unsafeStaleReads` */
  id: string;
  protocol: string;
  option: string;
  doc: string;
  source: string | undefined;
  caughtBy: string | undefined;
  /** The protocol's generic swarm scenario, which the zoo runs the bug under. */
  swarmScenario: string | undefined;
  /** The scenarios written for this bug (they set the option and expect a failure). */
  targetedScenarios: string[];
  /** In the tuning set (see TUNING_SET) or held out. */
  tuning: boolean;
}

/**
 * The bugs the swarm's biases (BUGGIFY, src/faults/buggify.ts) were designed against: the three
 * the generic mix did not find before. Every other bug is held out: the zoo reports the two parts
 * apart, so a bias tuned to its own test set cannot pass for a general improvement.
 */
export const TUNING_SET: readonly string[] = ['raft/unsafeCommitPreviousTermEntries', 'raft/unsafeSkipPersistVote', 'two-phase-commit/unsafeCommitBeforeLog'];

/** Every planted bug the protocols declare (options marked `plantedBug`), sorted by id. */
export function plantedBugs(protocols: readonly AnyProtocol[], scenarioDirectory: string): PlantedBug[] {
  const scenarios = loadScenarios(scenarioDirectory);
  const bugs: PlantedBug[] = [];
  for (const protocol of protocols) {
    const swarm = scenarios.find((s) => s.protocol.name === protocol.name && s.swarm && s.expect === 'pass');
    for (const option of protocol.options.describe()) {
      if (option.plantedBug !== true) continue;
      bugs.push({
        id: `${protocol.name}/${option.name}`,
        protocol: protocol.name,
        option: option.name,
        doc: option.doc,
        source: option.source,
        caughtBy: option.caughtBy,
        swarmScenario: swarm?.file,
        targetedScenarios: scenarios.filter((s) => s.protocol.name === protocol.name && s.expect !== 'pass' && s.protocol.rawOptions[option.name] === true).map((s) => s.file!),
        tuning: TUNING_SET.includes(`${protocol.name}/${option.name}`),
      });
    }
  }
  return bugs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The scenario files of a folder that load (a broken file is `faultline run`'s business, not the zoo's). */
function loadScenarios(directory: string): (Scenario & { protocol: { rawOptions: Record<string, unknown> } })[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
  const loaded = [];
  for (const name of names) {
    try {
      loaded.push(loadScenarioFile(join(directory, name)) as Scenario & { protocol: { rawOptions: Record<string, unknown> } });
    } catch {
      // skipped: see the comment above
    }
  }
  return loaded;
}
