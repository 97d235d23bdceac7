import { booleanCheck, given } from "@mcp-persist/internal";
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

/**
 * The client a Redis store runs on, and whether its `close()` closes it: a `client` handed in stays
 * the application's unless `ownsClient`; one the store makes, from `cluster` or `connection`
 * options, with its own client library (`make`), is the store's. `pkg`: the store's package, named
 * in the error for a bad `ownsClient`.
 */
export function storeClient<Client, Cluster, Connection>(
  options: ({ client: Client } & OwnedClientOption) | { cluster: Cluster } | { connection?: Connection },
  make: { cluster: (options: Cluster) => Client; connection: (options: Connection | undefined) => Client },
  pkg = "@mcp-persist/cache-core",
): { client: Client; ownsClient: boolean } {
  if ("client" in options) return { client: options.client, ownsClient: ownsClient(pkg, options.ownsClient) };
  if ("cluster" in options) return { client: make.cluster(options.cluster), ownsClient: true };
  return { client: make.connection(options.connection), ownsClient: true };
}

/** `ownsClient` checked, or its default (only `undefined` is left out: `null` is refused). */
function ownsClient(pkg: string, value: unknown): boolean {
  const boolean = booleanCheck((message) => new InvalidOptionError(pkg, message), describeValue);
  return boolean("ownsClient", given(value, false));
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
