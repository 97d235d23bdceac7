import { createCache, type Store } from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { deferred, setup, upstream } from "./support";

describe("single-flight", () => {
  it("calls fn once for 1000 concurrent cold calls, and every caller gets the result", async () => {
    const { cache } = setup();
    const release = deferred<void>();
    let calls = 0;
    const slow = async () => {
      calls++;
      await release.promise;
      return { rows: [1, 2, 3] };
    };
    const pending = Array.from({ length: 1000 }, () =>
      cache.wrap({ tool: "query", args: { sql: "select" } }, slow),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    release.resolve();
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(results.every((result) => result.rows.length === 3)).toBe(true);
    const stats = cache.stats().tools.query;
    expect(stats?.coalesced).toBe(999);
    expect(await cache.wrap({ tool: "query", args: { sql: "select" } }, slow)).toEqual({ rows: [1, 2, 3] });
    expect(calls).toBe(1);
  });

  it("collapses calls even when fn answers at once", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.wrap("instant", f.fn)));
    expect(f.calls).toBe(1);
    expect(new Set(results)).toEqual(new Set([1]));
  });

  it("lets calls that arrive while fn runs join it without asking the store", async () => {
    const { cache } = setup();
    const release = deferred<string>();
    let calls = 0;
    const first = cache.wrap("late", () => {
      calls++;
      return release.promise;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = Array.from({ length: 50 }, () => cache.wrap("late", () => "never called"));
    release.resolve("value");
    expect(await Promise.all([first, ...late])).toEqual(Array(51).fill("value"));
    expect(calls).toBe(1);
  });

  it("hands fn's error to every waiter and caches nothing", async () => {
    const { cache } = setup();
    const release = deferred<never>();
    let calls = 0;
    const failing = () => {
      calls++;
      return release.promise;
    };
    const pending = Array.from({ length: 1000 }, () => cache.wrap("boom", failing));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const error = new Error("upstream exploded");
    release.reject(error);
    const settled = await Promise.allSettled(pending);
    expect(calls).toBe(1);
    expect(settled.every((s) => s.status === "rejected" && s.reason === error)).toBe(true);
    expect(await cache.wrap("boom", () => "recovered")).toBe("recovered");
  });

  it("keeps flights per key: 10 keys x 100 calls make 10 fn calls", async () => {
    const { cache } = setup();
    const calls = new Map<number, number>();
    const pending = Array.from({ length: 1000 }, (_, i) =>
      cache.wrap({ tool: "t", args: { id: i % 10 } }, async () => {
        calls.set(i % 10, (calls.get(i % 10) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return i % 10;
      }),
    );
    const results = await Promise.all(pending);
    expect([...calls.values()]).toEqual(Array(10).fill(1));
    expect(results.every((value, i) => value === i % 10)).toBe(true);
  });

  it("calls fn again once a flight has settled and nothing was stored", async () => {
    const { cache } = setup();
    const f = upstream((n) => ({ isError: true, n }));
    const first = await Promise.all(Array.from({ length: 10 }, () => cache.wrap("err", f.fn)));
    const second = await cache.wrap("err", f.fn);
    expect(first.map((r) => r.n)).toEqual(Array(10).fill(1));
    expect(second.n).toBe(2);
  });
});

describe("concurrent hits on one key share one store read", () => {
  it("sends one GET for 50 concurrent hits, and one per hit when they do not overlap", async () => {
    const inner = memoryStore();
    let gets = 0;
    // An asynchronous store (no getSync), like the Redis stores.
    const store: Store = {
      name: "counting",
      capabilities: inner.capabilities,
      get: (key) => {
        gets++;
        return inner.get(key);
      },
      set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
      delete: (key) => inner.delete(key),
      run: (script, keys, args) => inner.run(script, keys, args),
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
    const cache = createCache({ store, defaultTtlMs: 60_000 });
    const call = { tool: "search", args: { q: "hot" } };
    let upstream = 0;
    const fn = async () => ({ content: [{ type: "text", text: `result ${++upstream}` }] });
    await cache.wrap(call, fn);

    gets = 0;
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.wrap(call, fn)));
    expect(new Set(results.map((r) => r.content[0]?.text))).toEqual(new Set(["result 1"]));
    expect(gets).toBe(1);
    expect(cache.stats().tools.search?.hits).toBe(50);

    gets = 0;
    for (let i = 0; i < 3; i++) await cache.wrap(call, fn);
    expect(gets).toBe(3);
    expect(upstream).toBe(1);
  });
});

describe("counting: a call that joins a running fn call is coalesced, never a miss", () => {
  /** 1000 concurrent cold calls for one key; `warm` first caches the tool's generation counters. */
  async function stampede(options: { warm: boolean; async: boolean }) {
    const inner = memoryStore();
    // Without getSync the store answers asynchronously, like the Redis stores.
    const store: Store = options.async
      ? { ...inner, getSync: undefined, get: (key) => inner.get(key) }
      : inner;
    const cache = createCache({ store, defaultTtlMs: 60_000 });
    if (options.warm) await cache.wrap({ tool: "query", args: { sql: "warm-up" } }, () => 0);
    const release = deferred<void>();
    let calls = 0;
    const slow = async () => {
      calls++;
      await release.promise;
      return 1;
    };
    const pending = Array.from({ length: 1000 }, () =>
      cache.wrap({ tool: "query", args: { sql: "x" } }, slow),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    release.resolve();
    await Promise.all(pending);
    expect(calls).toBe(1);
    const stats = cache.stats().tools.query;
    return { misses: (stats?.misses ?? 0) - (options.warm ? 1 : 0), coalesced: stats?.coalesced };
  }

  for (const async of [false, true]) {
    const kind = async ? "an asynchronous store" : "an in-process store";
    it(`counts 1 miss + 999 coalesced whether or not generations were cached (${kind})`, async () => {
      expect(await stampede({ warm: false, async })).toEqual({ misses: 1, coalesced: 999 });
      expect(await stampede({ warm: true, async })).toEqual({ misses: 1, coalesced: 999 });
    });
  }

  it("counts the same for expired entries served without stale-while-revalidate", async () => {
    const clock = createManualClock();
    const cache = createCache({
      store: memoryStore({ clock }),
      clock,
      defaultTtlMs: 1000,
      staleTtlMs: 10_000,
      staleWhileRevalidate: false,
    });
    await cache.wrap("k", () => 1);
    clock.advance(1500);
    const release = deferred<number>();
    const pending = Array.from({ length: 100 }, () => cache.wrap("k", () => release.promise));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release.resolve(2);
    expect(new Set(await Promise.all(pending))).toEqual(new Set([2]));
    expect(cache.stats().tools._).toMatchObject({ misses: 2, coalesced: 99 });
  });
});
