import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { algorithms } from "../src/algorithms";
import { type AlgorithmName, createToolRateLimiter } from "../src/index";
import { callerSegment } from "../src/key-layout";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

const memoryUsage = async (key: string): Promise<number> =>
  Number(await redisCommand(redis().port, "MEMORY", "USAGE", key));

/**
 * Steady use of one caller's `send_email` limit (calls past the limit included, in concurrent
 * batches), then the Redis key's MEMORY USAGE, key name included.
 */
async function steadyUse(store: Store, algorithm: AlgorithmName, limit: number) {
  const caller = { client: randomUUID() };
  const limiter = createToolRateLimiter({
    ...PATIENT,
    store,
    algorithm,
    perCallerPerTool: { limit, windowMs: 60_000 },
  });
  for (let done = 0; done < Math.min(2 * limit, 600); done += 50) {
    await Promise.all(Array.from({ length: 50 }, () => limiter.check({ tool: "send_email", caller })));
  }
  const key = `ratelimit:${algorithms[algorithm].keyTag}:{${callerSegment(caller)}}:send_email`;
  expect(await redisCommand(redis().port, "EXISTS", key)).toBe("1");
  return { key, bytes: await memoryUsage(key) };
}

describe.each(storeKinds(redis).filter((kind) => kind.redis))("memory per key on $name", (kind) => {
  it.each(["sliding-window", "gcra"] as const)(
    "%s: at most 128 bytes, key name included, after steady use",
    async (algorithm) => {
      for (const limit of [5, 1000]) {
        const { key, bytes } = await steadyUse(kind.open(), algorithm, limit);
        expect(await redisCommand(redis().port, "OBJECT", "ENCODING", key)).toBe("int");
        expect(bytes, `${key} at limit ${limit}`).toBeLessThanOrEqual(128);
        console.info(
          `[${kind.name}] ${algorithm} MEMORY USAGE at limit ${limit}: ${bytes} bytes (${key.length}-character key)`,
        );
      }
    },
  );

  it("sliding-log: grows with the limit, one sorted-set entry per unit in the window (sizes reported)", async () => {
    const sizes: Record<number, number> = {};
    for (const limit of [5, 30, 100, 500]) {
      const { key, bytes } = await steadyUse(kind.open(), "sliding-log", limit);
      expect(await redisCommand(redis().port, "ZCARD", key)).toBe(String(limit));
      sizes[limit] = bytes;
      // Up to 128 entries Redis keeps a sorted set as a listpack (~31 bytes an entry here); past
      // zset-max-listpack-entries, as a skiplist and a hash table (~115 bytes an entry).
      expect(bytes, `limit ${limit}`).toBeLessThanOrEqual(limit <= 128 ? 100 + 35 * limit : 160 * limit);
    }
    console.info(`[${kind.name}] sliding-log MEMORY USAGE by limit (bytes): ${JSON.stringify(sizes)}`);
  });
});
