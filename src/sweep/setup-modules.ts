import type { AnyProtocol } from '../protocol/protocol.js';
import { registerProtocol } from '../protocols/registry.js';
import { InputError } from '../util/errors.js';

/**
 * Setup modules make user and test protocols known where runs happen — in every worker thread
 * and in the main thread. A module may register protocols itself (`registerProtocol` from
 * faultline) or export them: `export const protocols = [...]` or a default export of one protocol.
 * Workers load compiled JavaScript only, so a setup module is a `.js`/`.mjs` file.
 */
export async function loadSetupModules(specifiers: readonly string[]): Promise<void> {
  for (const specifier of specifiers) {
    let loaded: Record<string, unknown>;
    try {
      loaded = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`cannot load setup module: ${(error as Error).message}`, specifier);
    }
    for (const protocol of exportedProtocols(loaded)) {
      const missing = missingDeclarations(protocol);
      if (missing.length > 0) {
        throw new InputError(`protocol "${protocol.name}" does not declare ${missing.join(', ')}; see docs/writing-a-protocol.md`, specifier);
      }
      registerProtocol(protocol);
    }
  }
}

function exportedProtocols(loaded: Record<string, unknown>): AnyProtocol[] {
  const found: AnyProtocol[] = [];
  if (Array.isArray(loaded.protocols)) found.push(...loaded.protocols.filter(isProtocol));
  if (isProtocol(loaded.default)) found.push(loaded.default);
  return found;
}

function isProtocol(value: unknown): value is AnyProtocol {
  const candidate = value as Partial<AnyProtocol> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.name === 'string' && typeof candidate.init === 'function';
}

/** The contract's declarations a plain-JavaScript protocol might lack (TypeScript catches them). */
function missingDeclarations(protocol: AnyProtocol): string[] {
  const missing: string[] = [];
  const record = protocol as unknown as Record<string, unknown>;
  if (typeof (record.options as { parse?: unknown } | undefined)?.parse !== 'function') missing.push('options (defineOptions)');
  for (const table of ['messages', 'timers']) {
    if (typeof record[table] !== 'object' || record[table] === null) missing.push(table);
  }
  return missing;
}
