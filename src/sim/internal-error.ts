import { fileURLToPath } from 'node:url';

/**
 * A bug in faultline itself, not in the protocol under test: the simulator broke one of its own
 * rules (time went backwards, the message counters do not balance, a host changed status in a
 * way no fault can cause). A run that hits one ends with the `internal` verdict (exit code 4),
 * never with a protocol's `assertion`, so nobody goes looking for a bug in their protocol.
 */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** Fails one of the simulator's own rules (message built only on the failure path). */
export function internalFail(message: string): never {
  throw new InternalError(message);
}

/** faultline's own code (src/ under the tests, dist/ when built), and the parts that are the protocol's. */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PROTOCOL_CODE = [fileURLToPath(new URL('../protocols/', import.meta.url))];
/** The context's rule checks (sends to itself, undeclared names) are about the protocol's behaviour. */
const PROTOCOL_RULES = [fileURLToPath(new URL('../node/host-context', import.meta.url)), fileURLToPath(new URL('../util/assert', import.meta.url))];

/**
 * Whether an error thrown during a run came from the simulator rather than from the protocol:
 * an `InternalError`, or an error whose innermost frame in a file (skipping the assertion helpers
 * and the context's rule checks, which report the protocol's faults) is faultline's own code
 * outside `protocols/`. Errors from a protocol, its observers, or a module loaded with `--import`
 * are the protocol's. Only runs on the failure path.
 */
export function thrownBySimulator(error: unknown): boolean {
  if (error instanceof InternalError) return true;
  if (!(error instanceof Error) || typeof error.stack !== 'string') return false;
  for (const line of error.stack.split('\n').slice(1)) {
    const file = frameFile(line);
    if (file === undefined) continue; // a native frame (`Array.push (<anonymous>)`)
    if (PROTOCOL_RULES.some((prefix) => file.startsWith(prefix))) {
      // The rule checks throw for the protocol; the assertion helpers for whoever called them.
      if (file.startsWith(PROTOCOL_RULES[0]!)) return false;
      continue;
    }
    if (!file.startsWith(ROOT)) return false; // a user's module or Node's own code
    return !PROTOCOL_CODE.some((prefix) => file.startsWith(prefix));
  }
  return false;
}

/** The file of one stack frame (`    at f (file:///a/b.js:1:2)` or `    at /a/b.js:1:2`), if it has one. */
function frameFile(line: string): string | undefined {
  const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
  if (match === null) return undefined;
  const location = match[1]!;
  return location.startsWith('file://') ? fileURLToPath(location) : location;
}
