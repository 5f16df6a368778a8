import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';
import { JUNIT_FILE, SUMMARY_FILE } from './sweep-files.js';

/** Held in a sweep's --out while it runs; holds the pid of the sweep. */
export const LOCK_FILE = '.faultline-sweep.lock';

/**
 * What a sweep writes into its --out, and so what `--force` clears before a new run: files a
 * sweep did not write are left alone, and none of these can survive to contradict the new summary.
 */
export const SWEEP_OWNED = [SUMMARY_FILE, JUNIT_FILE, 'summary.html', 'failures'] as const;

/**
 * Takes a sweep's output folder (already created): refuses a folder another live sweep holds,
 * and a folder with files in it unless `force` (which clears what a sweep owns). Returns the
 * function that gives the folder back.
 */
export function claimSweepFolder(directory: string, force: boolean): () => void {
  const lock = join(directory, LOCK_FILE);
  takeLock(lock, directory);
  try {
    const entries = readdirSync(directory).filter((entry) => entry !== LOCK_FILE);
    if (entries.length > 0 && !force) {
      const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
      throw new InputError(`--out: the folder is not empty (${shown}); pass --force to replace the previous sweep's files, or choose another --out`, directory);
    }
    if (force) for (const owned of SWEEP_OWNED) rmSync(join(directory, owned), { recursive: true, force: true });
  } catch (error) {
    rmSync(lock, { force: true });
    throw error;
  }
  return () => rmSync(lock, { force: true });
}

function takeLock(lock: string, directory: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    let descriptor: number;
    try {
      descriptor = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`--out: cannot create the lock file ${LOCK_FILE} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, directory);
      const holder = lockHolder(lock);
      if (holder === undefined) throw new InputError(`--out: another sweep is starting in this folder (its ${LOCK_FILE} has no pid yet; delete it if no sweep runs)`, directory);
      if (isAlive(holder)) {
        throw new InputError(`--out: another sweep (pid ${holder}) is writing to this folder; wait for it or choose another --out`, directory);
      }
      rmSync(lock, { force: true }); // left by a sweep that was killed: take the folder over
      continue;
    }
    try {
      writeSync(descriptor, `${process.pid}\n`);
    } finally {
      closeSync(descriptor);
    }
    return;
  }
  throw new InputError(`--out: another sweep keeps taking the lock file ${LOCK_FILE}`, directory);
}

function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
