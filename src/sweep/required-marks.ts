import { findProtocol } from '../protocols/registry.js';
import type { Scenario } from '../scenario/scenario.js';
import { expectedOneOf } from '../util/did-you-mean.js';
import { InputError } from '../util/errors.js';

/**
 * Parses `--require-marks a,b`: each name must be a mark that a protocol of the swept scenarios
 * declares (a misspelt mark would otherwise be "never reached" only after the whole sweep).
 */
export function requiredMarks(flag: string | undefined, scenarios: readonly Scenario[]): string[] {
  if (flag === undefined) return [];
  const names = flag.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InputError('expected --require-marks to name at least one mark (a,b,...)');
  const declared = [...new Set(scenarios.flatMap((scenario) => Object.keys(findProtocol(scenario.protocol.name)?.marks ?? {})))].sort();
  for (const name of names) {
    if (declared.includes(name)) continue;
    const choices = declared.length === 0 ? 'the swept protocols declare no marks' : expectedOneOf(name, declared);
    throw new InputError(`--require-marks: no swept protocol declares mark "${name}"; ${choices}`);
  }
  return names;
}
