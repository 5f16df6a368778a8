/**
 * Errors that reach the user. The CLI turns an `InputError` into one line on stderr and exit
 * code 2, never a stack trace. Library callers get it as a value they can inspect.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    /** The file the problem is in, when there is one. */
    readonly file?: string,
    /** 1-based line (and column) in that file, when known. */
    readonly line?: number,
    readonly column?: number,
    /** A dotted field path such as `network.latency.p99`, when known. */
    readonly field?: string,
  ) {
    super(message);
  }

  /** `file:line:col: field: message`, leaving out what is unknown. */
  describe(): string {
    let where = this.file ?? '';
    if (this.file !== undefined && this.line !== undefined) {
      where += `:${this.line}`;
      if (this.column !== undefined) where += `:${this.column}`;
    }
    const parts = [where, this.field, this.message].filter((p) => p !== undefined && p !== '');
    return parts.join(': ');
  }
}

/** Exit codes, documented in README.md. */
export const ExitCode = {
  pass: 0,
  checkFailed: 1,
  badInput: 2,
  limitOrLiveness: 3,
  /** A bug in faultline itself, not in the protocol under test. */
  internal: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
