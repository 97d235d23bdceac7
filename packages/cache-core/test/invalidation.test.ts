import { createCache } from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { deferred, settle, setup, upstream } from "./support";

const search = (q: string, caller?: string) => ({ tool: "search", args: { q }, caller });

describe("invalidation", () => {
  it("deletes one entry by tool call or by string key", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    await cache.wrap(search("a"), f.fn);
    await cache.wrap("plain", f.fn);
    expect(await cache.delete(search("a"))).toBe(true);
    expect(await cache.delete(search("a"))).toBe(false);
    expect(await cache.delete("plain")).toBe(true);
    expect(await cache.wrap(search("a"), f.fn)).toBe(3);
    expect(await cache.wrap("plain", f.fn)).toBe(4);
  });

  it("invalidates every entry of one tool (all arguments, callers and versions), and only that tool", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    await cache.wrap(search("a"), f.fn);
    await cache.wrap(search("b", "alice"), f.fn);
    await cache.wrap({ ...search("a"), version: "v2" }, f.fn);
    await cache.wrap({ tool: "other", args: {} }, f.fn);
    await cache.wrap("labelled", f.fn, { tool: "search" });
    await cache.invalidateTool("search");
    expect(await cache.wrap(search("a"), f.fn)).toBe(6);
    expect(await cache.wrap(search("b", "alice"), f.fn)).toBe(7);
    expect(await cache.wrap({ ...search("a"), version: "v2" }, f.fn)).toBe(8);
    expect(await cache.wrap("labelled", f.fn, { tool: "search" })).toBe(9);
    expect(await cache.wrap({ tool: "other", args: {} }, f.fn)).toBe(4);
  });

  it("invalidates one caller's entries across tools, and only that caller's", async () => {
    const { cache } = setup();
    const f = upstream((n) => n);
    await cache.wrap(search("a", "alice"), f.fn);
    await cache.wrap({ tool: "profile", args: {}, caller: "alice" }, f.fn);
    await cache.wrap(search("a", "bob"), f.fn);
    await cache.wrap(search("a"), f.fn);
    await cache.invalidateCaller("alice");
    expect(await cache.wrap(search("a", "alice"), f.fn)).toBe(5);
    expect(await cache.wrap({ tool: "profile", args: {}, caller: "alice" }, f.fn)).toBe(6);
    expect(await cache.wrap(search("a", "bob"), f.fn)).toBe(3);
    expect(await cache.wrap(search("a"), f.fn)).toBe(4);
  });

  it("invalidates a whole namespace and leaves other namespaces alone", async () => {
    const clock = createManualClock();
    const store = memoryStore({ clock });
    const a = createCache({ store, clock, defaultTtlMs: 60_000, namespace: "a" });
    const b = createCache({ store, clock, defaultTtlMs: 60_000, namespace: "b" });
    const f = upstream((n) => n);
    await a.wrap(search("x"), f.fn);
    await a.wrap("plain", f.fn);
    await b.wrap(search("x"), f.fn);
    await a.invalidateAll();
    expect(await a.wrap(search("x"), f.fn)).toBe(4);
    expect(await a.wrap("plain", f.fn)).toBe(5);
    expect(await b.wrap(search("x"), f.fn)).toBe(3);
  });

  it("shows another process's invalidation within generationRefreshMs, without fighting over entries", async () => {
    const clock = createManualClock();
    const shared = memoryStore({ clock });
    const processA = createCache({ store: shared, clock, defaultTtlMs: 60_000, generationRefreshMs: 1000 });
    const processB = createCache({ store: shared, clock, defaultTtlMs: 60_000, generationRefreshMs: 1000 });
    const f = upstream((n) => n);
    expect(await processA.wrap(search("a"), f.fn)).toBe(1);
    expect(await processB.wrap(search("a"), f.fn)).toBe(1);
    await processB.invalidateTool("search");
    clock.advance(500);
    // A trusts its copy of the generation for up to 1000 ms: the documented visibility bound.
    expect(await processA.wrap(search("a"), f.fn)).toBe(1);
    clock.advance(600);
    expect(await processA.wrap(search("a"), f.fn)).toBe(2);
    expect(await processB.wrap(search("a"), f.fn)).toBe(2); // A wrote under the new generation
    expect(f.calls).toBe(2);
  });

  it("serves entries written by a process that saw a newer generation first", async () => {
    const clock = createManualClock();
    const shared = memoryStore({ clock });
    const processA = createCache({ store: shared, clock, defaultTtlMs: 60_000, generationRefreshMs: 1000 });
    const processB = createCache({ store: shared, clock, defaultTtlMs: 60_000, generationRefreshMs: 1000 });
    const f = upstream((n) => n);
    await processA.wrap(search("a"), f.fn);
    await processB.invalidateTool("search");
    expect(await processB.wrap(search("a"), f.fn)).toBe(2);
    // A has not seen the invalidation yet, but the entry is newer than anything A knows: a hit.
    expect(await processA.wrap(search("a"), f.fn)).toBe(2);
    expect(f.calls).toBe(2);
  });

  it("never serves an invalidated entry again after its generation key is lost (expired or evicted)", async () => {
    const clock = createManualClock();
    const store = memoryStore({ clock });
    const cache = createCache({ store, clock, defaultTtlMs: 60_000, generationRefreshMs: 0 });
    const f = upstream((n) => n);
    await cache.wrap(search("old"), f.fn);
    clock.advance(1);
    await cache.invalidateTool("search");
    clock.advance(1);
    expect(await cache.wrap(search("new"), f.fn)).toBe(2);
    clock.advance(1);
    expect(await store.delete("mcp:~g:t:search")).toBe(true);
    expect(await cache.wrap(search("old"), f.fn)).toBe(3);
    // The entry written after the invalidation is dropped too: losing a generation is a mass miss.
    expect(await cache.wrap(search("new"), f.fn)).toBe(4);
    clock.advance(1);
    expect(await store.delete("mcp:~g:ns")).toBe(true);
    expect(await cache.wrap(search("old"), f.fn)).toBe(5);
  });

  it("does not let a call that was running during an invalidation serve its result afterwards", async () => {
    const { cache } = setup();
    const running = deferred<string>();
    const old = cache.wrap(search("a"), () => running.promise);
    await settle();
    await cache.invalidateTool("search");
    running.resolve("computed before the invalidation");
    await old;
    expect(await cache.wrap(search("a"), () => "fresh")).toBe("fresh");
  });

  it("reports invalidations as events", async () => {
    const { cache, events } = setup();
    await cache.invalidateTool("search");
    await cache.invalidateCaller({ user: "alice" });
    await cache.invalidateAll();
    await cache.delete(search("a"));
    expect(events.filter((e) => e.type === "invalidate")).toEqual([
      { type: "invalidate", target: "tool", tool: "search" },
      { type: "invalidate", target: "scope", tool: undefined },
      { type: "invalidate", target: "namespace", tool: undefined },
      { type: "invalidate", target: "key", tool: "search" },
    ]);
  });
});

describe("warm", () => {
  it("fills the cache at start-up, a few calls at a time, and reports failures without throwing", async () => {
    const { cache } = setup();
    let running = 0;
    let peak = 0;
    const entry = (q: string, fail = false) => ({
      key: search(q),
      fn: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (fail) throw new Error("cold upstream");
        return `result ${q}`;
      },
    });
    const result = await cache.warm([entry("a"), entry("b"), entry("c"), entry("d"), entry("e", true)], {
      concurrency: 2,
    });
    expect(result).toEqual({ warmed: 4, failed: 1 });
    expect(peak).toBe(2);
    expect(await cache.wrap(search("c"), () => "not warm")).toBe("result c");
  });
});
