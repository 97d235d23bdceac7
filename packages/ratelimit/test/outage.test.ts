import { randomUUID } from "node:crypto";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimiterOptions, type RateLimitResult } from "../src/index";
import { storeKinds } from "./support/stores";

// The limiter's storeTimeoutMs is 100 ms; the store's own deadline is 5 s (longer, so the limiter
// races it) and a default client waits longer. "Within the deadline" is asserted as under 1 s: far
// above 100 ms (no flakiness on a busy CI machine), far below what the store or the client would
// wait without the limiter's deadline.
const TIMEOUT_MS = 100;
const BOUND_MS = 1000;
const STORE_TIMEOUT_MS = 5000;

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

const burst = (limiter: { check(key: string): Promise<RateLimitResult> }, n: number) =>
  Promise.all(Array.from({ length: n }, () => limiter.check("caller:tool")));

let redis: RedisServer;
beforeEach(async () => {
  redis = await startRedis();
});
afterEach(() => redis.stop());

describe.each(storeKinds(() => redis).filter((kind) => kind.redis))("Redis outage on $name", (kind) => {
  /** A fail-open and a fail-closed limiter on one store, connected before they are used. */
  const limiters = async (extra: Partial<RateLimiterOptions> = {}) => {
    const store = kind.open({ timeoutMs: STORE_TIMEOUT_MS });
    await store.ping();
    const options = { store, limit: 5, windowMs: 60_000 };
    const shared = {
      ...options,
      storeTimeoutMs: TIMEOUT_MS,
      probeIntervalMs: 60_000,
      prefix: randomUUID(),
      ...extra,
    };
    return {
      open: createRateLimiter(shared),
      closed: createRateLimiter({ ...shared, onStoreDown: "refuse" }),
    };
  };

  it.each(["frozen", "killed"] as const)(
    "Redis %s: every check is decided within the deadline, proceed allows and refuse denies",
    async (failure) => {
      const { open, closed } = await limiters();
      expect((await open.check("caller:tool")).reason).toBe("ok");
      expect((await closed.check("caller:tool")).reason).toBe("ok");
      if (failure === "frozen") redis.freeze();
      else await redis.kill();
      const { value: results, ms } = await timed(Promise.all([burst(open, 10), burst(closed, 10)]));
      expect(ms).toBeLessThan(BOUND_MS);
      expect(results[0].every((result) => result.allowed && result.reason === "degraded")).toBe(true);
      expect(results[1].every((result) => !result.allowed && result.reason === "degraded")).toBe(true);
      expect(results[1].every((result) => result.retryAfterMs > 0)).toBe(true);
      // Once the store is known to be away, checks no longer wait for it at all.
      const later = await timed(burst(closed, 10));
      expect(later.ms).toBeLessThan(BOUND_MS);
      if (failure === "frozen") redis.thaw();
    },
  );

  it("recovers once Redis is back, and enforces the limit again", async () => {
    const { closed } = await limiters({ probeIntervalMs: 50 });
    expect((await closed.check("caller:tool")).reason).toBe("ok");
    await redis.kill();
    expect((await closed.check("caller:tool")).reason).toBe("degraded");
    await redis.restart(); // empty: the limit starts over
    const deadline = Date.now() + 10_000;
    let result = await closed.check("caller:tool");
    while (result.reason !== "ok" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await closed.check("caller:tool");
    }
    expect(result).toMatchObject({ reason: "ok", allowed: true });
    const rest = await burst(closed, 6);
    expect(rest.filter((check) => check.allowed)).toHaveLength(4);
    expect(rest.every((check) => check.reason === (check.allowed ? "ok" : "limited"))).toBe(true);
  });

  it("with a fallback store, the limit holds in this process while Redis is away", async () => {
    const fallback = lruStore();
    const { open } = await limiters({ fallbackStore: fallback });
    expect((await open.check("caller:tool")).reason).toBe("ok");
    redis.freeze();
    const { value: results, ms } = await timed(burst(open, 8));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(results.every((result) => result.reason === "fallback")).toBe(true);
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    redis.thaw();
    await fallback.close();
  });
});

describe("a store that hangs or fails, in process", () => {
  it.each(["hang", "reject", "throw"] as const)(
    "%s: decided within the deadline by onStoreDown",
    async (fault) => {
      const store = faultyStore(lruStore(), fault, { only: ["run"] });
      const options = { store, limit: 5, windowMs: 60_000, storeTimeoutMs: TIMEOUT_MS };
      const { value, ms } = await timed(
        Promise.all([
          createRateLimiter(options).check("k"),
          createRateLimiter({ ...options, onStoreDown: "refuse" }).check("k"),
        ]),
      );
      expect(ms).toBeLessThan(BOUND_MS);
      expect(value[0]).toMatchObject({ allowed: true, reason: "degraded", remaining: 0, retryAfterMs: 0 });
      expect(value[1]).toMatchObject({ allowed: false, reason: "degraded", remaining: 0 });
      await store.close();
    },
  );
});
