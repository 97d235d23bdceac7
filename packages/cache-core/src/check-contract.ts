import { describeValue } from "@mcp-persist/keys";
import type { Clock } from "./clock";
import { InvalidOptionError } from "./errors";
import type { Logger } from "./logger";
import type { Store } from "./store";

// The parts a capability is handed — a store, a logger, a clock — checked one way in every
// package. A part without its methods must be refused where it is given: later it would fail
// inside a call that must never throw (a cache hit, a rate-limit check, a lock's release).

const STORE_METHODS = ["get", "set", "delete", "run", "ping", "close"] as const;
const LOGGER_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Reads a member; a Proxy whose trap throws reads as missing. */
function member(value: object, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/**
 * True for an mcp-persist `Store`: an object with `get`, `set`, `delete`, `run`, `ping` and
 * `close` methods and a `capabilities` object. A `Map` (which has `get`, `set`, `delete`) or an
 * object with only `run()` is not one. Never throws.
 */
export function isStore(value: unknown): value is Store {
  if (typeof value !== "object" || value === null) return false;
  const capabilities = member(value, "capabilities");
  if (typeof capabilities !== "object" || capabilities === null) return false;
  return STORE_METHODS.every((method) => typeof member(value, method) === "function");
}

/**
 * @param name how the message names the value: `"store"`, `"fallbackStore"`, `"the first argument"`.
 * @throws {InvalidOptionError} unless {@link isStore}.
 */
export function assertStore(value: unknown, pkg: string, name: string): asserts value is Store {
  if (isStore(value)) return;
  // The slip to expect: the Redis client itself, as cache-manager's and rate-limiter-flexible's
  // Redis stores take it (ioredis and node-redis clients, and their clusters, all have sendCommand).
  const client =
    typeof value === "object" && value !== null && typeof member(value, "sendCommand") === "function";
  const got = client
    ? "got a Redis client: wrap it in a store first, ioredisStore({ client }) or nodeRedisStore({ client })"
    : `got ${describeValue(value)}`;
  throw new InvalidOptionError(
    pkg,
    `${name} must be an mcp-persist Store, e.g. lruStore(), ioredisStore({ client }) or nodeRedisStore({ client }); ${got}`,
  );
}

/**
 * A logger needs the four methods of the `Logger` contract: a pino logger (or `console`) has them.
 * @throws {InvalidOptionError} naming the methods it lacks.
 */
export function assertLogger(value: unknown, pkg: string, name = "logger"): asserts value is Logger {
  const holder = (typeof value === "object" && value !== null) || typeof value === "function";
  const missing = holder
    ? LOGGER_LEVELS.filter((level) => typeof member(value as object, level) !== "function")
    : LOGGER_LEVELS;
  if (missing.length > 0) {
    const what = holder ? `it has no ${missing.join(", ")}` : `got ${describeValue(value)}`;
    throw new InvalidOptionError(
      pkg,
      `${name} must have debug, info, warn and error methods, like a pino logger; ${what}`,
    );
  }
}

/**
 * A clock must tell the time: it is asked once here, and must answer a finite number.
 * @throws {InvalidOptionError} for a clock without `now()`, or one that fails or answers anything else.
 */
export function assertClock(value: unknown, pkg: string, name = "clock"): asserts value is Clock {
  let now: unknown;
  let failure: unknown;
  try {
    now = (value as Clock).now();
  } catch (error) {
    failure = error; // not a clock (no now()), or one that fails: either way, refused here
  }
  if (typeof now !== "number" || !Number.isFinite(now)) {
    const what =
      failure === undefined ? `its now() returned ${describeValue(now)}` : `got ${describeValue(value)}`;
    throw new InvalidOptionError(
      pkg,
      `${name} must be an object whose now() returns epoch milliseconds, e.g. systemClock; ${what}`,
    );
  }
}
