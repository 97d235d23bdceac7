import type { Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";

/** What a worker process is told about the store it opens. */
export interface WorkerStorePlan {
  client: "ioredis" | "node-redis";
  /** `redis://host:port` */
  url: string;
  keyPrefix: string;
}

/**
 * The Redis store a worker process (a child of a multi-process test) opens: the client it is
 * told, on `url`, with its key prefix, and the store's own deadline unless `timeoutMs` is given.
 * In a subpath of its own (`@mcp-persist/test-kit/workers`): a bundled worker must not pull in
 * vitest, which the kit's main entry does.
 */
export function openRedisStore(plan: WorkerStorePlan, timeoutMs?: number): Store {
  const { url, keyPrefix } = plan;
  const deadline = timeoutMs === undefined ? {} : { timeoutMs };
  if (plan.client === "ioredis") {
    const { hostname, port } = new URL(url);
    return ioredisStore({ connection: { host: hostname, port: Number(port), keyPrefix }, ...deadline });
  }
  return nodeRedisStore({ connection: { url, keyPrefix }, ...deadline });
}
