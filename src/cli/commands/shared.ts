import { join, resolve } from 'node:path';
import { findProtocol } from '../../protocols/registry.js';
import { renderMessageGeneric } from '../../trace/render.js';
import type { Message } from '../../protocol/effects.js';
import { InputError } from '../../util/errors.js';
import { safePathComponent } from '../../util/safe-name.js';

export { shellQuote } from '../../util/shell-quote.js';

export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError(`expected --seed to be a non-negative integer, got ${JSON.stringify(value)}`);
  return seed;
}

export function messageRenderer(protocolName: string): (message: Message) => string {
  const protocol = findProtocol(protocolName);
  return protocol === undefined ? renderMessageGeneric : (message) => protocol.renderMessage(message);
}

/** Commander's accumulator for a repeatable option such as `--import`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** reports/<scenario>/<seed>/ under the working directory, unless --out says otherwise; the name cannot climb out of reports/. */
export function outputDirectory(cwd: string, out: string | undefined, scenario: string, seed: number): string {
  return out !== undefined ? resolve(cwd, out) : join(cwd, 'reports', safePathComponent(scenario), String(seed));
}
