import {
  type BusListener,
  type CacheEvent,
  type CacheOptions,
  createCache,
  type Store,
} from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { fleet, sharedView } from "./shared-view";
import { settle, upstream } from "./support";

const call = (id: number, caller?: string) => ({ tool: "search", args: { id }, caller });

describe("cache.ready()", () => {
  it("resolves once the coherence channel listens, and at once for a cache without one", async () => {
    const shared = memoryStore();
    await createCache({ store: shared, defaultTtlMs: 1000 }).ready(); // in process: no channel
    // A bus whose subscription listens when the test says so (a Redis still connecting).
    const listeners: BusListener[] = [];
    const view = sharedView(shared);
    const store: Store = {
      ...view.store,
      bus: {
        publish: () => Promise.resolve(),
        subscribe: (_channel, listener) => {
          listeners.push(listener);
          return { listening: false, unsubscribe: () => Promise.resolve() };
        },
      },
    };
    const cache = createCache({ store, defaultTtlMs: 1000, l1: true });
    let ready = false;
    void cache.ready().then(() => (ready = true));
    await settle();
    expect(ready).toBe(false);
    expect(listeners).toHaveLength(1);
    listeners[0]?.listening?.();
    await settle();
    expect(ready).toBe(true);
  });
});

describe("two tiers, one process", () => {
  it("serves a repeated call from the first tier, without a store read, counted per tier", async () => {
    const {
      processes: [p],
    } = await fleet(1);
    if (p === undefined) throw new Error("no process");
    const f = upstream((n) => ({ rows: [n] }));
    expect(await p.cache.wrap(call(1), f.fn)).toEqual({ rows: [1] });
    await settle(); // the write reached the store and the first tier
    const reads = p.view.gets();
    expect(await p.cache.wrap(call(1), f.fn)).toEqual({ rows: [1] });
    expect(await p.cache.wrap(call(1), f.fn)).toEqual({ rows: [1] });
    expect(p.view.gets()).toBe(reads);
    expect(f.calls).toBe(1);
    expect(p.cache.stats().tools.search).toMatchObject({ hits: 2, l1Hits: 2, misses: 1 });
    expect(p.events.filter((e) => e.type === "hit")).toEqual([
      expect.objectContaining({ type: "hit", tool: "search", tier: "l1" }),
      expect.objectContaining({ type: "hit", tool: "search", tier: "l1" }),
    ]);
  });

  it("reads the store when the first tier is off, or when the store is not shared", async () => {
    const clock = createManualClock();
    const shared = memoryStore({ clock });
    const view = sharedView(shared);
    const off = createCache({ store: view.store, defaultTtlMs: 60_000, clock });
    const local = createCache({ store: memoryStore({ clock }), defaultTtlMs: 60_000, clock, l1: true });
    for (const cache of [off, local]) {
      await cache.wrap("k", async () => "v");
      await settle();
      expect(await cache.wrap("k", async () => "other")).toBe("v");
      expect(cache.stats().total).toMatchObject({ hits: 1, l1Hits: 0 });
    }
    expect(view.gets()).toBe(2);
  });

  it("hands every first-tier hit a value of its own", async () => {
    const {
      processes: [p],
    } = await fleet(1);
    if (p === undefined) throw new Error("no process");
    await p.cache.wrap(call(1), async () => ({ nested: { list: [1, 2] } }));
    await settle();
    const first = await p.cache.wrap(call(1), async () => ({ nested: { list: [] as number[] } }));
    first.nested.list.push(3);
    expect(await p.cache.wrap(call(1), async () => ({ nested: { list: [] as number[] } }))).toEqual({
      nested: { list: [1, 2] },
    });
    expect(p.cache.stats().total.l1Hits).toBe(2);
  });

  it("never serves a copy past l1.ttlMs: the store is read again", async () => {
    const {
      clock,
      processes: [p],
    } = await fleet(1, { l1: { ttlMs: 1000 } });
    if (p === undefined) throw new Error("no process");
    await p.cache.wrap(call(1), async () => "v");
    await settle();
    await p.cache.wrap(call(1), async () => "x");
    const reads = p.view.gets();
    clock.advance(1000);
    expect(await p.cache.wrap(call(1), async () => "x")).toBe("v");
    expect(p.view.gets()).toBe(reads + 1);
    expect(p.cache.stats().total).toMatchObject({ hits: 2, l1Hits: 1 });
  });

  it("never serves a copy past the entry's own TTL, jittered or not", async () => {
    const {
      clock,
      processes: [p],
    } = await fleet(1, { jitter: 0.5 });
    if (p === undefined) throw new Error("no process");
    const f = upstream((n) => n);
    await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 });
    await settle();
    expect(await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 })).toBe(1);
    clock.advance(1000);
    // The store's TTL ended at most 1000 ms after the write: so did the copy.
    expect(await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 })).toBe(2);
  });

  it("keeps copies per caller, and never keeps an error result", async () => {
    const {
      processes: [p],
    } = await fleet(1);
    if (p === undefined) throw new Error("no process");
    await p.cache.wrap(call(1, "alice"), async () => "alice's");
    await p.cache.wrap(call(1, "bob"), async () => "bob's");
    await settle();
    expect(await p.cache.wrap(call(1, "alice"), async () => "?")).toBe("alice's");
    expect(await p.cache.wrap(call(1, "bob"), async () => "?")).toBe("bob's");
    const failing = upstream(() => ({ content: [], isError: true }));
    await p.cache.wrap(call(2), failing.fn);
    await settle();
    await p.cache.wrap(call(2), failing.fn);
    expect(failing.calls).toBe(2);
  });

  it("serves a stale value from the store once the copy's freshness ended, and refreshes it", async () => {
    const {
      clock,
      processes: [p],
    } = await fleet(1, { staleTtlMs: 10_000 });
    if (p === undefined) throw new Error("no process");
    const f = upstream((n) => n);
    await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 });
    await settle();
    clock.advance(1500);
    expect(await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 })).toBe(1);
    await settle();
    expect(f.calls).toBe(2);
    expect(await p.cache.wrap(call(1), f.fn, { ttlMs: 1000 })).toBe(2);
    expect(p.cache.stats().total).toMatchObject({ stale: 1, l1Hits: 1 });
  });

  it("keeps serving fresh copies while the store is down; misses call fn", async () => {
    const {
      clock,
      processes: [p],
    } = await fleet(1);
    if (p === undefined) throw new Error("no process");
    await p.cache.wrap(call(1), async () => "kept");
    await settle();
    p.view.setDown(true);
    expect(await p.cache.wrap(call(1), async () => "fn")).toBe("kept");
    // Past generationRefreshMs, generations cannot be read again: the copy still serves…
    clock.advance(2000);
    expect(await p.cache.wrap(call(1), async () => "fn")).toBe("kept");
    expect(await p.cache.wrap(call(2), async () => "fn")).toBe("fn");
    // …until l1.ttlMs.
    clock.advance(3000);
    expect(await p.cache.wrap(call(1), async () => "fn")).toBe("fn");
  });

  it("drops its own copy on delete, and refuses the old entry a read in flight brings back", async () => {
    const {
      clock,
      processes: [p],
    } = await fleet(1, { l1: { ttlMs: 1000 } });
    if (p === undefined) throw new Error("no process");
    await p.cache.wrap(call(1), async () => "old");
    await settle();
    clock.advance(1000); // the copy ended; the entry is still in the store
    const release = p.view.hold(); // the next GET reads "old" now and answers later
    const reading = p.cache.wrap(call(1), async () => "never");
    await settle();
    expect(await p.cache.delete(call(1))).toBe(true);
    release();
    expect(await reading).toBe("old"); // it started before the delete: fine to answer
    expect(await p.cache.wrap(call(1), async () => "new")).toBe("new");
  });

  it("checks its options: maxEntries a whole number ≥ 1, ttlMs a duration", () => {
    const store = memoryStore();
    for (const l1 of [{ maxEntries: 0 }, { maxEntries: 1.5 }, { ttlMs: 0 }, { ttlMs: -1 }, "yes", null]) {
      expect(() => createCache({ store, defaultTtlMs: 1000, l1: l1 as never })).toThrow(/l1/);
    }
  });
});

describe("two tiers, several processes on one store", () => {
  it("a delete in one process drops the copies the others hold", async () => {
    const {
      processes: [a, b],
    } = await fleet(2);
    if (a === undefined || b === undefined) throw new Error("no process");
    await settle();
    await a.cache.wrap(call(1), async () => "v1");
    await settle();
    expect(await b.cache.wrap(call(1), async () => "never")).toBe("v1");
    expect(await b.cache.wrap(call(1), async () => "never")).toBe("v1");
    expect(b.cache.stats().total.l1Hits).toBe(1);
    await a.cache.delete(call(1));
    await settle();
    expect(await b.cache.wrap(call(1), async () => "v2")).toBe("v2");
    await settle();
    expect(await a.cache.wrap(call(1), async () => "never")).toBe("v2");
  });

  it("an invalidation in one process reaches the others at once, not after generationRefreshMs", async () => {
    const {
      processes: [a, b],
    } = await fleet(2, { generationRefreshMs: 3_600_000 });
    if (a === undefined || b === undefined) throw new Error("no process");
    await settle();
    await a.cache.wrap(call(1, "alice"), async () => "v1");
    await settle();
    expect(await b.cache.wrap(call(1, "alice"), async () => "never")).toBe("v1");
    expect(await b.cache.wrap(call(1, "alice"), async () => "never")).toBe("v1");
    for (const [invalidate, next] of [
      [() => a.cache.invalidateTool("search"), "v2"],
      [() => a.cache.invalidateCaller("alice"), "v3"],
      [() => a.cache.invalidateAll(), "v4"],
    ] as const) {
      await invalidate();
      await settle();
      expect(await b.cache.wrap(call(1, "alice"), async () => next)).toBe(next);
      await settle();
      expect(await b.cache.wrap(call(1, "alice"), async () => "never")).toBe(next);
    }
  });

  it("a read in flight when another process deleted its key does not keep what it brings back", async () => {
    const {
      processes: [a, b],
    } = await fleet(2);
    if (a === undefined || b === undefined) throw new Error("no process");
    await settle();
    await a.cache.wrap(call(1), async () => "old");
    await settle();
    const release = b.view.hold(); // b's GET reads "old" now, and answers later
    const reading = b.cache.wrap(call(1), async () => "never");
    await settle();
    await a.cache.delete(call(1));
    await settle(); // the message reached b before its read answered
    release();
    expect(await reading).toBe("old"); // it started before the delete: fine to answer
    // …but not kept: the next call reads the store again, and misses.
    expect(await b.cache.wrap(call(1), async () => "new")).toBe("new");
  });

  it("ignores its own messages, and works without a bus (copies bounded by l1.ttlMs)", async () => {
    const clock = createManualClock();
    const shared = memoryStore({ clock });
    const view = sharedView(shared);
    const noBus = { ...view.store, bus: undefined };
    const cache = createCache({ store: noBus, defaultTtlMs: 60_000, clock, l1: { ttlMs: 100 } });
    await cache.wrap("k", async () => "v");
    await settle();
    expect(await cache.wrap("k", async () => "x")).toBe("v");
    expect(cache.stats().total.l1Hits).toBe(1);
  });
});
