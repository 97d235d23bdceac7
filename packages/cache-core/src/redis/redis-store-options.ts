import { booleanCheck, given, knownOptions, optionNames } from "@mcp-persist/internal";
import { describeValue } from "@mcp-persist/keys";
import { InvalidOptionError } from "../errors";

/** Options every Redis store takes, whatever its client. */
export interface RedisStoreOptions {
  /**
   * Deadline for each store call, in milliseconds, enforced by the store's own timer whatever the
   * client's retry and timeout settings: a call Redis has not answered by then rejects with code
   * `ERR_STORE_TIMEOUT`, and a script in it is never sent afterwards. Calls made while the client
   * is reconnecting reject at once (`ERR_STORE_UNAVAILABLE`) instead of waiting.
   * @default 250
   */
  timeoutMs?: number;
}

/** Options of a store handed an existing client. */
export interface OwnedClientOption {
  /**
   * Whether the store's `close()` also closes the client: draining it (pending replies are read
   * first) for at most `timeoutMs`, then dropping the connection, so a frozen server cannot hold
   * `close()` for ever. Leave it false when the application uses the client for other things.
   * @default false
   */
  ownsClient?: boolean;
}

/** Every option of a Redis store, whichever form: `{ client }`, `{ cluster }` or `{ connection }`. */
const STORE_OPTION_NAMES = optionNames<
  RedisStoreOptions & OwnedClientOption & Record<"client" | "cluster" | "connection", unknown>
>({
  timeoutMs: true,
  ownsClient: true,
  client: true,
  cluster: true,
  connection: true,
});

/**
 * The client a Redis store runs on, its deadline (`timeoutMs`, checked before any client is made)
 * and whether its `close()` closes the client: a `client` handed in stays the application's
 * unless `ownsClient`; one the store makes, from `cluster` or `connection` options, with its own
 * client library (`make`), is the store's. `pkg` and `factory` name the store in errors.
 * @throws {InvalidOptionError} for options that are not a plain object (a client passed in their
 *   place: `ioredisStore(redis)` would fail every call as a store outage), an unknown option name,
 *   a bad `timeoutMs` or `ownsClient`.
 */
export function storeClient<Client, Cluster, Connection>(
  options: (({ client: Client } & OwnedClientOption) | { cluster: Cluster } | { connection?: Connection }) &
    RedisStoreOptions,
  make: { cluster: (options: Cluster) => Client; connection: (options: Connection | undefined) => Client },
  pkg = "@mcp-persist/cache-core",
  factory = "createRedisStore",
): { client: Client; ownsClient: boolean; timeoutMs: number } {
  const invalid = (message: string) => new InvalidOptionError(pkg, message);
  checkOptionsObject(options, invalid, factory);
  knownOptions(invalid, STORE_OPTION_NAMES)(options);
  const timeoutMs = resolveTimeoutMs(pkg, options.timeoutMs);
  if ("client" in options) {
    return { client: options.client, ownsClient: ownsClient(invalid, options.ownsClient), timeoutMs };
  }
  if ("cluster" in options) return { client: make.cluster(options.cluster), ownsClient: true, timeoutMs };
  return { client: make.connection(options.connection), ownsClient: true, timeoutMs };
}

/**
 * An options object, not a client: BentoCache, redis-semaphore and rate-limiter-flexible take the
 * client itself, so `ioredisStore(redis)` is an easy slip for a JavaScript user. Any object made by
 * a class (its prototype neither `Object.prototype` nor `null`) is refused with the fix.
 */
function checkOptionsObject(options: unknown, invalid: (message: string) => Error, factory: string): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw invalid(
      `${factory}() takes an options object such as { client }, { connection } or { cluster }, got ${describeValue(options)}`,
    );
  }
  const prototype: unknown = Object.getPrototypeOf(options);
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalid(
      `${factory}() takes an options object, not a client: to use an existing client, pass it as ${factory}({ client }), got ${describeValue(options)}`,
    );
  }
}

/** `ownsClient` checked, or its default (only `undefined` is left out: `null` is refused). */
function ownsClient(invalid: (message: string) => Error, value: unknown): boolean {
  return booleanCheck(invalid, describeValue)("ownsClient", given(value, false));
}

/** The store's default per-call deadline: what a cache adds to a tool call at worst when Redis hangs. */
export const DEFAULT_REDIS_TIMEOUT_MS = 250;

/**
 * The store's deadline: `timeoutMs` checked, or the default. Call it before creating a client
 * that is configured with it, so a bad option throws before any connection is opened.
 * @throws {InvalidOptionError} unless it is a positive finite number.
 */
export function resolveTimeoutMs(pkg: string, timeoutMs: number | undefined): number {
  // Only `undefined` takes the default: `null` is refused like any other wrong value.
  const value: unknown = given(timeoutMs, DEFAULT_REDIS_TIMEOUT_MS);
  if (typeof value !== "number" || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidOptionError(
      pkg,
      `timeoutMs must be a positive finite number of milliseconds, got ${describeValue(value)}`,
    );
  }
  return value;
}
