import { once } from "node:events";
import type { Logger } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/index";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

/** The warnings a limiter on `store` logs at construction. */
function warningsFor(store: Parameters<typeof createRateLimiter>[0]["store"]): string[] {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_obj, msg) => warnings.push(msg ?? "") };
  createRateLimiter({ store, limit: 5, windowMs: 60_000, logger });
  return warnings;
}

describe("a warning at construction when the store's client keeps commands past the deadline", () => {
  it("ioredis with its defaults (offline queue, 20 retries): warns, naming both settings", async () => {
    const client = new Redis(redis.url).on("error", () => {});
    const warnings = warningsFor(ioredisStore({ client }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /enableOfflineQueue: false.*maxRetriesPerRequest: 1.*within timeoutMs \(100 ms\)/,
    );
    await client.quit();
  });

  it("node-redis with its defaults (offline queue): warns", async () => {
    const client = await createClient({ url: redis.url }).connect();
    expect(warningsFor(nodeRedisStore({ client }))[0]).toMatch(/disableOfflineQueue: true/);
    await client.close();
  });

  it("fail-fast clients (as the stores create them) and in-process stores: no warning", async () => {
    const own = [ioredisStore({ connection: redis.url }), nodeRedisStore({ connection: redis.url })];
    const failFast = new Redis(redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    for (const store of [...own, ioredisStore({ client: failFast }), lruStore()]) {
      expect(warningsFor(store), store.name).toEqual([]);
    }
    await Promise.all(own.map((store) => store.close()));
    failFast.disconnect();
  });

  it("without a logger, the warning goes to process.emitWarning", async () => {
    const client = new Redis(redis.url, { lazyConnect: true }).on("error", () => {});
    const warned = once(process, "warning");
    createRateLimiter({ store: ioredisStore({ client }), limit: 5, windowMs: 60_000 });
    const [warning] = (await warned) as [Error & { code?: string }];
    expect(warning).toMatchObject({ code: "MCP_PERSIST_RATELIMIT_CLIENT" });
    expect(warning.message).toMatch(/^\[@mcp-persist\/ratelimit\] the ioredis client queues commands/);
    client.disconnect();
  });
});
