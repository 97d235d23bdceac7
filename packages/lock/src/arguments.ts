import { InvalidOptionError } from "@mcp-persist/cache-core";
import { warnDeprecated } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";

/** What a value is, for a message; never throws (no `String()` on a hostile object). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** A lock resource or `once` key: a non-empty string naming what is protected. */
export function assertName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") {
    throw new InvalidOptionError(
      PKG,
      `a lock resource or once key must be a non-empty string naming what is protected (e.g. "send-email:user-123"), got ${typeof name === "string" ? '""' : kindOf(name)}`,
    );
  }
}

/** The function to run under the lock. */
export function assertFunction(fn: unknown, signature: string): asserts fn is (...args: never[]) => unknown {
  if (typeof fn !== "function") {
    throw new InvalidOptionError(
      PKG,
      `${signature} takes the function to run under the lock as its third argument, got ${kindOf(fn)}`,
    );
  }
}

/** Options are absent or a plain object. */
export function assertOptions(options: unknown, signature: string): asserts options is object | undefined {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new InvalidOptionError(
      PKG,
      `${signature} takes its options (e.g. { ttlMs: 10_000 }) as the last argument, got ${kindOf(options)}`,
    );
  }
}

const WITH_LOCK = "withLock(store, resource, fn, options?)";

/**
 * `withLock`'s third and fourth arguments: `fn, options?`, the order `once` and `cache.wrap` take.
 * The order of the first release, `options, fn`, still works, with one deprecation warning per process.
 */
export function withLockArguments(third: unknown, fourth: unknown): { fn: unknown; options: object } {
  if (typeof third !== "function" && typeof fourth === "function") {
    assertOptions(third, WITH_LOCK);
    warnDeprecated(
      PKG,
      "withLock(store, resource, options, fn)",
      "withLock(store, resource, fn, options), the function first, as once() and cache.wrap() take it",
    );
    return { fn: fourth, options: third ?? {} };
  }
  assertFunction(third, WITH_LOCK);
  assertOptions(fourth, WITH_LOCK);
  return { fn: third, options: fourth ?? {} };
}
