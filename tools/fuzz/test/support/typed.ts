import { inspect } from "node:util";
import { PackageError } from "@mcp-persist/internal";

/**
 * Why `error` is not what a public function may throw, or `undefined` when it is: an
 * mcp-persist error (cache-core's `McpPersistError`, keys' `KeyError`, health's and shutdown's
 * families all extend `PackageError`) with a stable `ERR_…` code and a message naming its package.
 * A TypeError, RangeError or URIError from inside a package, or any other stray error, is a defect.
 */
export function untypedError(error: unknown): string | undefined {
  if (!(error instanceof PackageError)) return `not an mcp-persist error: ${show(error)}`;
  if (typeof error.code !== "string" || !/^ERR_[A-Z0-9_]+$/.test(error.code)) {
    return `an mcp-persist error without a stable code: ${show(error)}`;
  }
  if (!error.message.startsWith(`[${error.package}] `)) {
    return `a message that does not start with [${error.package}]: ${show(error)}`;
  }
  return undefined;
}

function show(error: unknown): string {
  return inspect(error, { depth: 2, breakLength: Number.POSITIVE_INFINITY }).slice(0, 2000);
}

/** A defect found at a boundary: the message says what was thrown, the cause is the original. */
export class UntypedError extends Error {}

/** How a boundary answered: a value, or an error that was allowed (typed, or `expected`). */
export type Outcome<T> =
  | { ok: true; value: T; error?: undefined }
  | { ok: false; value?: undefined; error: unknown };

/**
 * Calls `fn`: returns `{ ok: true, value }`, or `{ ok: false, error }` when it threw an
 * mcp-persist error (or an error `expected` accepts, e.g. the test's own function's). Anything
 * else fails the property.
 */
export function typedOutcome<T>(
  fn: () => T,
  expected: (error: unknown) => boolean = () => false,
): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    check(error, expected);
    return { ok: false, error };
  }
}

/** The same for a promise, which must also settle within `guardMs` (a guard against a hang). */
export async function settledTyped<T>(
  fn: () => Promise<T>,
  expected: (error: unknown) => boolean = () => false,
  guardMs = 10_000,
): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UntypedError(`did not settle within ${guardMs} ms`)), guardMs);
  });
  try {
    return { ok: true, value: await Promise.race([Promise.resolve().then(fn), hang]) };
  } catch (error) {
    if (error instanceof UntypedError) throw error;
    check(error, expected);
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

function check(error: unknown, expected: (error: unknown) => boolean): void {
  if (expected(error)) return;
  const problem = untypedError(error);
  if (problem !== undefined) throw new UntypedError(problem, { cause: error });
}
