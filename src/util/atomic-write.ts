import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

/**
 * Writes a file so that readers see either the old content or the new, never a torn one: the
 * data goes to a temporary file beside the target, then a rename puts it in place.
 */
export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${counter++}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
