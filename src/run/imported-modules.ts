import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../util/errors.js';
import { shellQuote } from '../util/shell-quote.js';

/**
 * A module loaded with `--import` (or `runSeeds`' `setupModules`) to make a protocol known. Every
 * result.json and sweep summary records them, so the commands that reproduce a run — replay,
 * shrink, the printed `faultline run … --seed N` — can load the same protocol again.
 */
export interface ImportedModule {
  /** As the user typed it (a path relative to where they ran faultline, a URL or a package). */
  given: string;
  /** As `import()` took it: a `file:` URL for a path, otherwise the text as given. */
  resolved: string;
}

/** A path on the command line (relative to `cwd`) or a URL/package name, as `import()` takes it. */
export function toModuleSpecifier(text: string, cwd: string): string {
  if (/^[a-z]+:/i.test(text) && !isAbsolute(text)) return text; // already a URL (file:, data:, node:)
  // A path like `dist/my-protocol.js` is meant as a file when there is one, not as a package.
  if (text.startsWith('.') || isAbsolute(text) || existsSync(resolve(cwd, text))) return pathToFileURL(resolve(cwd, text)).href;
  return text; // a package name
}

export function importedModules(given: readonly string[], cwd: string): ImportedModule[] {
  return given.map((text) => ({ given: text, resolved: toModuleSpecifier(text, cwd) }));
}

/**
 * ` --import <module>` for each module, as a shell in `cwd` takes it: a file as a path relative to
 * `cwd` (absolute when it lies outside, or when `absolute` asks for a command that works from
 * anywhere), anything else as given. Empty when there are none.
 */
export function importFlags(imports: readonly ImportedModule[], cwd: string, absolute = false): string {
  return imports.map((module) => ` --import ${shellQuote(flagText(module, cwd, absolute))}`).join('');
}

function flagText(module: ImportedModule, cwd: string, absolute: boolean): string {
  if (!module.resolved.startsWith('file:')) return module.given;
  const path = fileURLToPath(module.resolved);
  const near = relative(cwd, path);
  return absolute || near === '' || near.startsWith('..') || isAbsolute(near) ? path : near;
}

/**
 * The specifiers to load for modules a result.json recorded: the resolved file when it is still
 * there, else the given path taken from `cwd` (the result was moved with its protocol), else an
 * input error that names the module and suggests `--import`.
 */
export function recordedSpecifiers(imports: readonly ImportedModule[], cwd: string, source: string): string[] {
  return imports.map((module) => {
    if (!module.resolved.startsWith('file:') || existsSync(fileURLToPath(module.resolved))) return module.resolved;
    const again = toModuleSpecifier(module.given, cwd);
    if (again.startsWith('file:') && existsSync(fileURLToPath(again))) return again;
    throw new InputError(`the run imported ${JSON.stringify(module.given)} (${fileURLToPath(module.resolved)}), which is not there any more; pass --import <module> to load its protocol`, source, undefined, undefined, 'imports');
  });
}

/** The modules of several records, each once (by resolved specifier), in first-seen order. */
export function unionOfImports(lists: readonly (readonly ImportedModule[] | undefined)[]): ImportedModule[] {
  const seen = new Map<string, ImportedModule>();
  for (const list of lists) for (const module of list ?? []) if (!seen.has(module.resolved)) seen.set(module.resolved, module);
  return [...seen.values()];
}
