import type { Logger, Store } from "@mcp-persist/cache-core";
import { PKG } from "./errors";

/** The client options read, as ioredis (`Redis`, `Cluster`) and node-redis (client, cluster) spell them. */
interface ClientLike {
  options?: {
    enableOfflineQueue?: boolean;
    maxRetriesPerRequest?: number | null;
    disableOfflineQueue?: boolean;
    redisOptions?: { maxRetriesPerRequest?: number | null };
  };
  _options?: { defaults?: { disableOfflineQueue?: boolean } };
  isCluster?: boolean;
  isReady?: boolean;
}

/**
 * Reads the client a Redis store exposes (`store.client`) for settings that keep commands alive
 * past the limiter's deadline: an offline queue that holds them while Redis is away, and retries
 * that re-send them. The limiter decides in time regardless, but such a command can still reach
 * Redis when it returns and count a call the limiter already decided without it.
 * Returns one sentence per problem; none for other stores or fail-fast clients.
 */
function clientConcerns(store: Store): string[] {
  const client = (store as { client?: unknown }).client;
  if (typeof client !== "object" || client === null) return [];
  const { options, _options } = client as ClientLike;
  if (options !== undefined && "enableOfflineQueue" in options) {
    // ioredis: both default to on (queue, 20 retries; null retries for ever).
    const retries = (client as ClientLike).isCluster
      ? options.redisOptions?.maxRetriesPerRequest
      : options.maxRetriesPerRequest;
    const concerns: string[] = [];
    if (options.enableOfflineQueue !== false)
      concerns.push("the ioredis client queues commands while disconnected (set enableOfflineQueue: false)");
    if (retries === null || (retries ?? 20) > 1)
      concerns.push(
        `the ioredis client retries each command ${retries === null ? "for ever" : `up to ${retries ?? 20} times`} (set maxRetriesPerRequest: 1)`,
      );
    return concerns;
  }
  // node-redis (client or cluster): `isReady` is a boolean; the queue is on unless disabled.
  if (typeof (client as ClientLike).isReady !== "boolean") return [];
  const disabled = options?.disableOfflineQueue ?? _options?.defaults?.disableOfflineQueue;
  return disabled === true
    ? []
    : ["the node-redis client queues commands while disconnected (set disableOfflineQueue: true)"];
}

/**
 * Warns, once, about a store client whose settings let checks outlive the deadline. Called when a
 * limiter is built, after every option passed its checks.
 */
export function warnAboutClient(store: Store, timeoutMs: number, logger: Logger | undefined): void {
  const concerns = clientConcerns(store);
  if (concerns.length === 0) return;
  const message = `[${PKG}] ${concerns.join("; ")}. The limiter still decides within timeoutMs (${timeoutMs} ms), but a check it gave up on can stay in the client and run when Redis returns, counting a call twice or after it was decided without the store. Give the store a fail-fast client (or let the store create its own).`;
  if (logger === undefined) process.emitWarning(message, { code: "MCP_PERSIST_RATELIMIT_CLIENT" });
  else logger.warn({ event: "ratelimit_client_settings", store: store.name, concerns }, message);
}
