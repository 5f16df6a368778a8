import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from './errors.js';

/**
 * Creates an output folder (and its parents) and checks it can be written, before any work is
 * done: `--out /dev/null/x` or a read-only folder is one line and exit code 2, not a stack trace
 * after a long run.
 */
export function ensureOutputDirectory(directory: string, flag = '--out'): void {
  try {
    mkdirSync(directory, { recursive: true });
    accessSync(directory, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`${flag}: cannot create or write the folder (${explain(code)})`, directory);
  }
}

function explain(code: string): string {
  switch (code) {
    case 'ENOTDIR':
      return 'ENOTDIR: a part of the path is a file';
    case 'EEXIST':
      return 'EEXIST: a file of that name exists';
    case 'EACCES':
    case 'EPERM':
      return `${code}: permission denied`;
    case 'EROFS':
      return 'EROFS: read-only file system';
    default:
      return code;
  }
}

/** The same check for an output file: its folder must be writable and the path not a folder. */
export function ensureOutputFile(file: string, flag: string): void {
  ensureOutputDirectory(dirname(file), flag);
  let isDirectory = false;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch {
    return; // absent: it will be created
  }
  if (isDirectory) throw new InputError(`${flag}: is a folder; expected a file name`, file);
}
