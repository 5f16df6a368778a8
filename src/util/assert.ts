/**
 * Assertions that stay on in every build (TigerBeetle style). A failed assertion is a bug in
 * faultline or in a protocol, never a verdict about user input: bad input gets a `UsageError`.
 */
export class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
}

/**
 * Checks an invariant. The message must be a constant string: a template literal here would be
 * built on every call, even when the condition holds. For a message with values, write
 * `if (!condition) fail(\`... ${value}\`)`, which builds it only on failure.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

/** Fails an invariant with a message built only now, on the failure path. */
export function fail(message: string): never {
  throw new AssertionFailure(message);
}

/** Exhaustiveness check for discriminated unions: the compiler proves this is unreachable. */
export function unreachable(value: never, what = 'value'): never {
  throw new AssertionFailure(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Documents that both outcomes of a condition are legal at this point. It does nothing at run
 * time; it tells the reader that the case was considered rather than forgotten.
 */
export function maybe(_condition: boolean): void {}
