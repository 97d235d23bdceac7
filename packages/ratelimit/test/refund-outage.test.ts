import { randomUUID } from "node:crypto";
import type { Logger } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { timeSettled } from "@mcp-persist/test-kit";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter, type RateLimiterOptions } from "../src/index";
import { storeKinds } from "./support/stores";

// As in outage.test.ts: the limiter's storeTimeoutMs is 100 ms, the store's own deadline 5 s (a
// default client waits longer still). "Within the deadline" is asserted as under 1 s: far above
// 100 ms, far below what the store or the client would wait without the limiter's deadline.
const TIMEOUT_MS = 100;
const BOUND_MS = 1000;
const STORE_TIMEOUT_MS = 5000;

let redis: RedisServer;
beforeEach(async () => {
  redis = await startRedis();
});
// Each test thaws its server itself: the stores are closed (after each test) before this runs.
afterEach(() => redis.stop());

/** A logger that keeps the events of its warnings. */
function warnings(): { logger: Logger; events: string[] } {
  const events: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    error() {},
    warn: (obj) => events.push((obj as { event: string }).event),
  };
  return { logger, events };
}

describe.each(storeKinds(() => redis).filter((kind) => kind.redis))(
  "refund() while Redis is away, on $name",
  (kind) => {
    const limiter = async (extra: Partial<RateLimiterOptions> = {}) => {
      const store = kind.open({ timeoutMs: STORE_TIMEOUT_MS });
      await store.ping();
      const limits = createRateLimiter({
        store,
        limit: 2,
        windowMs: 60_000,
        storeTimeoutMs: TIMEOUT_MS,
        probeIntervalMs: 60_000,
        prefix: randomUUID(),
        ...extra,
      });
      return { limits, runs: vi.spyOn(store, "run") };
    };

    it.each(["frozen", "killed"] as const)(
      "Redis %s: resolves false within the deadline, never rejects, and warns",
      async (failure) => {
        const { logger, events } = warnings();
        const { limits } = await limiter({ logger });
        const result = await limits.check("k");
        expect(result.reason).toBe("ok");
        if (failure === "frozen") redis.freeze();
        else await redis.kill();
        let refunded: boolean | undefined;
        const { ms, error } = await timeSettled(limits.refund(result).then((value) => (refunded = value)));
        expect(error).toBeUndefined();
        expect(ms).toBeLessThan(BOUND_MS);
        expect(refunded).toBe(false);
        expect(events).toContain("ratelimit_refund_failed");
        // Refunded once, even though it failed: a timed-out refund may still run once Redis thaws.
        expect(await limits.refund(result)).toBe(false);
        redis.thaw();
      },
    );

    it("a store known to be down is not waited for: false at once, warned", async () => {
      const { logger, events } = warnings();
      const { limits, runs } = await limiter({ logger });
      const result = await limits.check("k");
      redis.freeze();
      // This check finds the store down (degraded); from then on the limiter does not ask it.
      expect((await limits.check("k")).reason).toBe("degraded");
      const calls = runs.mock.calls.length;
      expect(await limits.refund(result)).toBe(false);
      expect(runs.mock.calls.length).toBe(calls);
      expect(events).toEqual(["ratelimit_store_unavailable", "ratelimit_refund_failed"]);
      redis.thaw();
    });

    it("a result the fallback store decided is refunded on the fallback store", async () => {
      const fallbackStore = lruStore();
      const { limits } = await limiter({ fallbackStore });
      redis.freeze();
      const [first, second, third] = [
        await limits.check("k"),
        await limits.check("k"),
        await limits.check("k"),
      ];
      expect([first, second, third].map((result) => [result.reason, result.allowed])).toEqual([
        ["fallback", true],
        ["fallback", true],
        ["fallback", false],
      ]);
      expect(await limits.refund(second)).toBe(true);
      expect(await limits.check("k")).toMatchObject({ reason: "fallback", allowed: true });
      expect((await limits.check("k")).allowed).toBe(false);
      redis.thaw();
      await fallbackStore.close();
    });
  },
);
