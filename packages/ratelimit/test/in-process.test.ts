import type { Store } from "@mcp-persist/cache-core";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter, createToolRateLimiter } from "../src/index";

const rule = { limit: 2, windowMs: 60_000 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an in-process store (one with runSync)", () => {
  it("is asked at once, with no deadline: a check arms no timer", async () => {
    // A manual clock: lru-cache then arms no timer of its own to cache the time.
    const store = lruStore({ clock: createManualClock() });
    const plain = createRateLimiter({ store, ...rule, algorithm: "sliding-window" });
    const tools = createToolRateLimiter({ store, perCaller: rule, perTool: rule });
    const setTimeout = vi.spyOn(globalThis, "setTimeout");
    const checks = [plain.check("k"), tools.check({ tool: "t", caller: "c" })];
    expect(setTimeout).not.toHaveBeenCalled();
    expect(await Promise.all(checks)).toMatchObject([
      { allowed: true, reason: "ok" },
      { allowed: true, reason: "ok", tool: "t" },
    ]);
  });

  it("that fails (closed) is down like any store: the fallback store decides, else onStoreDown", async () => {
    const store = lruStore();
    const fallbackStore = lruStore();
    const logger = { debug() {}, info() {}, warn: vi.fn(), error() {} };
    const limiter = createRateLimiter({ store, fallbackStore, ...rule, logger, onStoreDown: "refuse" });
    expect(await limiter.check("k")).toMatchObject({ allowed: true, reason: "ok" });
    await store.close();
    const [first, second, third] = [
      await limiter.check("k"),
      await limiter.check("k"),
      await limiter.check("k"),
    ];
    expect([first, second, third]).toMatchObject([
      { allowed: true, reason: "fallback" },
      { allowed: true, reason: "fallback" },
      { allowed: false, reason: "fallback" },
    ]);
    expect(logger.warn).toHaveBeenCalledOnce(); // the outage, once
    expect(await limiter.refund(first)).toBe(true); // on the fallback store that charged it
    await fallbackStore.close();
    expect(await limiter.check("k")).toMatchObject({ allowed: false, reason: "degraded" });
  });

  it("wrapped by a store that offers only run() is asked through run()", async () => {
    const inner = lruStore();
    let runs = 0;
    const wrapper: Store = {
      name: "wrapper",
      capabilities: inner.capabilities,
      get: (key) => inner.get(key),
      set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
      delete: (key) => inner.delete(key),
      run: (script, keys, args) => {
        runs++;
        return inner.run(script, keys, args);
      },
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
    const limiter = createRateLimiter({ store: wrapper, ...rule });
    expect(await limiter.check("k")).toMatchObject({ allowed: true, reason: "ok" });
    expect(runs).toBe(1);
  });

  it("reads the clock once per check when the store's scripts read the limiter's own clock", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    const limiter = createRateLimiter({ store, clock, ...rule, algorithm: "sliding-window" });
    const tools = createToolRateLimiter({
      store,
      clock,
      perCaller: rule,
      perTool: rule,
      algorithm: "sliding-window",
    });
    const now = vi.spyOn(clock, "now");
    const [plain, tool] = [await limiter.check("k"), await tools.check({ tool: "t", caller: "c" })];
    expect(now).toHaveBeenCalledTimes(2); // the script's reading, one per check
    // And the result counts from it, as from a reading of its own: the window ends 2 windows on.
    const slotStart = Math.floor(clock.now() / rule.windowMs) * rule.windowMs;
    const resetAtMs = slotStart + 2 * rule.windowMs;
    expect([plain, tool]).toMatchObject([{ resetAtMs }, { resetAtMs }]);
  });

  it("keeps to its own clock for resetAtMs when the store's scripts read another", async () => {
    const storeTime = { now: () => 1_000_000_000_000 }; // 40 s into a 60 s slot
    const limiterTime = { now: () => 2_000_000_000_000 };
    const store = lruStore({ clock: storeTime });
    const limiter = createRateLimiter({ store, clock: limiterTime, ...rule, algorithm: "sliding-window" });
    // The store's window resets 80 s after its time: counted from the limiter's.
    expect(await limiter.check("k")).toMatchObject({ allowed: true, resetAtMs: 2_000_000_080_000 });
  });
});
