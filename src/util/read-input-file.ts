import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';

/**
 * Reads a user-supplied file as UTF-8 text, refusing anything that is not a regular file (a FIFO
 * would block forever, /dev/zero never ends) and anything larger than `maxBytes`, so careless
 * input costs a line on stderr rather than a hang or gigabytes of memory.
 */
export function readInputFile(file: string, options: { maxBytes: number; what: string }): string {
  let descriptor: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer before fstat can refuse it.
    descriptor = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputError(describeOpenError(error, options.what), file);
  }
  try {
    const stat = fstatSync(descriptor);
    if (stat.isDirectory()) throw new InputError(`is a directory; expected ${options.what}`, file);
    if (!stat.isFile()) throw new InputError(`is not a regular file (a FIFO, device or socket); expected ${options.what}`, file);
    if (stat.size > options.maxBytes) throw new InputError(`the file is ${formatBytes(stat.size)}; ${options.what} may be at most ${formatBytes(options.maxBytes)}`, file);
    return readBounded(descriptor, stat.size, options.maxBytes, file, options.what);
  } finally {
    closeSync(descriptor);
  }
}

/** Reads to the end, but never past the limit: the file may grow between fstat and the read. */
function readBounded(descriptor: number, expected: number, maxBytes: number, file: string, what: string): string {
  const buffer = Buffer.allocUnsafe(Math.min(maxBytes, expected) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) throw new InputError(`the file grew while being read; ${what} may be at most ${formatBytes(maxBytes)}`, file);
    const read = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.toString('utf8', 0, length);
}

function describeOpenError(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return `is a directory; expected ${what}`;
    case 'EACCES':
      return 'permission denied';
    default:
      return `cannot read the file (${code ?? String(error)})`;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
