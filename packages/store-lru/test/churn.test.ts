// Entry churn must never evict the state scripts keep: the cache's generation counters above all
// (losing one re-creates it above every entry written under it, which reads as a mass miss).
import { createCache } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { lruStore } from "../src/index";

describe("entry churn on lruStore({ max: 1000 })", () => {
  it("keeps a hot key a hit while 1,500 new keys/s are written for 5 s", async () => {
    const clock = createManualClock();
    const store = lruStore({ max: 1000, clock });
    const cache = createCache({ store, clock, defaultTtlMs: 60_000 });
    let hotCalls = 0;
    const hot = () => cache.wrap({ tool: "search", args: { q: "hot" } }, async () => ++hotCalls);
    await hot();
    let written = 0;
    // Every 10 ms of simulated time: 15 new keys (1,500/s) through the same cache, and one hot call.
    for (let tick = 0; tick < 500; tick++) {
      for (let i = 0; i < 15; i++) {
        await cache.wrap({ tool: "search", args: { q: `cold ${written++}` } }, async () => written);
      }
      clock.advance(10);
      expect(await hot()).toBe(1);
    }
    expect(written).toBe(7500);
    expect(hotCalls).toBe(1);
    expect(cache.stats().tools.search).toMatchObject({ hits: 500, misses: 7501 });
    // The churn was real: the entries bound held, and old cold entries were evicted.
    expect(store.lru.size).toBe(1000);
    expect(await cache.wrap({ tool: "search", args: { q: "cold 0" } }, async () => "recomputed")).toBe(
      "recomputed",
    );
  });

  it("keeps script state (a lock, a counter) however many entries pass through", async () => {
    const store = lruStore({ max: 100 });
    const acquire = defineScript<number>({
      name: "acquire",
      lua: "-- not run in process",
      local: (ctx, [key = ""], [owner = ""]) => {
        if (ctx.get(key) !== undefined) return 0;
        ctx.set(key, owner, 60_000);
        return 1;
      },
    });
    expect(await store.run(acquire, ["lock:report"], ["worker-1"])).toBe(1);
    for (let i = 0; i < 10_000; i++) await store.set(`entry:${i}`, "x", 60_000);
    expect(await store.run(acquire, ["lock:report"], ["worker-2"])).toBe(0);
    expect(await store.get("lock:report")).toBe("worker-1");
    expect(store.lru.size).toBe(100);
    expect(store.state.size).toBe(1);
  });

  it("bounds script state on its own (maxStateKeys), least recently used first", async () => {
    const store = lruStore({ max: 10, maxStateKeys: 2 });
    const put = defineScript<number>({
      name: "put",
      lua: "-- not run in process",
      local: (ctx, [key = ""]) => {
        ctx.set(key, "1", 60_000);
        return 1;
      },
    });
    for (const key of ["a", "b", "c"]) await store.run(put, [key], []);
    expect([await store.get("a"), await store.get("b"), await store.get("c")]).toEqual([undefined, "1", "1"]);
  });
});

describe("one keyspace over entries and script state", () => {
  const write = defineScript<number>({
    name: "write",
    lua: "-- not run in process",
    local: (ctx, [key = ""], [value = "", ttl = ""]) => {
      if (ttl === "") ctx.incr(key, Number(value));
      else ctx.set(key, value, Number(ttl));
      return 1;
    },
  });
  const read = defineScript<(string | number | null)[]>({
    name: "read",
    lua: "-- not run in process",
    local: (ctx, [key = ""]) => [ctx.get(key) ?? null, ctx.pttl(key)],
  });

  it("lets the last writer own a key: set() over script state, and a script over an entry", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    await store.run(write, ["k"], ["from script", 5000]);
    await store.set("k", "from set", 1000);
    expect(await store.get("k")).toBe("from set");
    expect(await store.run(read, ["k"], [])).toEqual(["from set", 1000]);
    expect([store.lru.has("k"), store.state.has("k")]).toEqual([true, false]);

    await store.run(write, ["k"], ["from script again", 3000]);
    expect(await store.get("k")).toBe("from script again");
    expect([store.lru.has("k"), store.state.has("k")]).toEqual([false, true]);
    expect(await store.delete("k")).toBe(true);
    expect(await store.get("k")).toBeUndefined();
    expect(await store.delete("k")).toBe(false);
  });

  it("moves a counter a script keeps as a number between the parts like any other key", async () => {
    const store = lruStore({ clock: createManualClock() });
    const bump = defineScript<number>({
      name: "bump",
      lua: "-- not run in process",
      local: (ctx, [key = ""]) => {
        const next = Number(ctx.getInteger?.(key) ?? 0) + 1;
        ctx.setInteger?.(key, next, 5000);
        return next;
      },
    });
    expect(await store.run(bump, ["c"], [])).toBe(1);
    expect([await store.get("c"), store.state.get("c")]).toEqual(["1", 1]); // kept as a number
    expect(store.state.calculatedSize).toBe(1 + "c".length + "1".length); // counted as its digits
    await store.set("c", "41", 1000);
    expect([store.lru.has("c"), store.state.has("c")]).toEqual([true, false]);
    // Read from the entries, written back to the state: found in one part only, the state.
    expect(await store.run(bump, ["c"], [])).toBe(42);
    expect([store.lru.has("c"), store.state.has("c")]).toEqual([false, true]);
    expect(await store.get("c")).toBe("42");
    expect(await store.delete("c")).toBe(true);
    expect(await store.get("c")).toBeUndefined();
  });

  it("keeps an entry's TTL when a script changes it without one (INCR keeps the TTL, as in Redis)", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    await store.set("n", "41", 1000);
    clock.advance(400);
    await store.run(write, ["n"], [1, ""]);
    expect(await store.run(read, ["n"], [])).toEqual(["42", 600]);
    clock.advance(601);
    expect(await store.get("n")).toBeUndefined();
  });

  it("empties both on close", async () => {
    const store = lruStore();
    await store.set("a", "1", 60_000);
    await store.run(write, ["b"], ["2", 60_000]);
    await store.close();
    expect([store.lru.size, store.state.size]).toEqual([0, 0]);
  });
});
