// The guides' scenarios, end to end: a tool handler wrapped by the cache, on the embedded store.
import { type CacheEvent, createCache } from "@mcp-persist/cache-core";
import { createManualClock, faultyStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { lruStore } from "../src/index";

interface SearchArgs {
  query: string;
  limit: number;
  filters?: { lang?: string; tags?: string[] };
}

/** The guides' search_docs tool: an upstream API behind a cached MCP handler. */
function searchDocsServer(options: { store?: ReturnType<typeof lruStore>; storeTimeoutMs?: number } = {}) {
  const clock = createManualClock();
  const store = options.store ?? lruStore({ max: 500, clock });
  const events: CacheEvent[] = [];
  const cache = createCache({
    store,
    clock,
    defaultTtlMs: 5 * 60_000,
    storeTimeoutMs: options.storeTimeoutMs,
    onEvent: (event) => events.push(event),
  });
  const api = { calls: 0 };
  const searchDocsApi = async (args: SearchArgs) => {
    api.calls++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return [`${args.query} #1`, `${args.query} #2`].slice(0, args.limit);
  };
  const handler = (args: SearchArgs, user?: string) =>
    cache.wrap({ tool: "search_docs", args, caller: user }, async () => ({
      content: [{ type: "text" as const, text: JSON.stringify(await searchDocsApi(args)) }],
    }));
  return { cache, clock, store, api, handler, events };
}

describe("guide scenarios on store-lru", () => {
  it("serves a repeated call from the cache: the upstream API is called once", async () => {
    const { handler, api } = searchDocsServer();
    const first = await handler({ query: "mcp monitoring", limit: 5 });
    const second = await handler({ query: "mcp monitoring", limit: 5 });
    expect(api.calls).toBe(1);
    expect(second).toEqual(first);
  });

  it("ignores argument order, nested objects included", async () => {
    const { handler, api } = searchDocsServer();
    await handler({ limit: 5, query: "mcp monitoring", filters: { tags: ["a"], lang: "en" } });
    await handler({ query: "mcp monitoring", filters: { lang: "en", tags: ["a"] }, limit: 5 });
    expect(api.calls).toBe(1);
  });

  it("keeps two callers' results apart with per-caller keys", async () => {
    const { cache } = searchDocsServer();
    const profile = (user: string) =>
      cache.wrap({ tool: "get_profile", args: {}, caller: { user } }, async () => ({ owner: user }));
    expect(await profile("alice")).toEqual({ owner: "alice" });
    expect(await profile("bob")).toEqual({ owner: "bob" });
    expect(
      await cache.wrap({ tool: "get_profile", args: {}, caller: { user: "alice" } }, async () => ({
        owner: "x",
      })),
    ).toEqual({
      owner: "alice",
    });
  });

  it("expires results after the TTL (5 minutes), whatever the reads", async () => {
    const { handler, api, clock } = searchDocsServer();
    await handler({ query: "q", limit: 1 });
    clock.advance(4 * 60_000);
    await handler({ query: "q", limit: 1 });
    clock.advance(60_001);
    await handler({ query: "q", limit: 1 });
    expect(api.calls).toBe(2);
  });

  for (const fault of ["throw", "hang"] as const) {
    it(`falls through to the API within a bounded delay when the store's calls ${fault}`, async () => {
      const store = faultyStore(lruStore(), fault) as ReturnType<typeof lruStore>;
      const { handler, api, events } = searchDocsServer({ store, storeTimeoutMs: 100 });
      const started = performance.now();
      const results = await Promise.all([
        handler({ query: "a", limit: 1 }),
        handler({ query: "b", limit: 2 }),
      ]);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(results.map((r) => JSON.parse(r.content[0]?.text ?? ""))).toEqual([["a #1"], ["b #1", "b #2"]]);
      expect(api.calls).toBe(2);
      expect(events.filter((e) => e.type === "error").length).toBeGreaterThanOrEqual(2);
    });
  }

  it("collapses 1000 concurrent cold calls into one upstream call", async () => {
    const { handler, api } = searchDocsServer();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => handler({ query: "stampede", limit: 2 })),
    );
    expect(api.calls).toBe(1);
    expect(new Set(results.map((r) => r.content[0]?.text)).size).toBe(1);
  });

  it("serves stale while one background call refreshes, and stale when the API fails", async () => {
    const clock = createManualClock();
    const cache = createCache({ store: lruStore({ clock }), clock, defaultTtlMs: 1000, staleTtlMs: 10_000 });
    let version = 0;
    let failing = false;
    const api = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failing) throw new Error("upstream 503");
      return `v${++version}`;
    };
    expect(await cache.wrap("status", api)).toBe("v1");
    clock.advance(1500);
    const concurrent = await Promise.all(Array.from({ length: 100 }, () => cache.wrap("status", api)));
    expect(concurrent).toEqual(Array(100).fill("v1"));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(version).toBe(2);
    expect(await cache.wrap("status", api)).toBe("v2");

    const failSafe = createCache({
      store: lruStore({ clock }),
      clock,
      defaultTtlMs: 1000,
      staleTtlMs: 10_000,
      staleWhileRevalidate: false,
    });
    expect(await failSafe.wrap("status", api)).toBe("v3");
    clock.advance(1500);
    failing = true;
    expect(await Promise.all(Array.from({ length: 50 }, () => failSafe.wrap("status", api)))).toEqual(
      Array(50).fill("v3"),
    );
    expect(failSafe.stats().total.stale).toBe(1);
    expect(failSafe.stats().total.coalesced).toBe(49);
  });

  it("warms the cache at start-up so the first real call is a hit", async () => {
    const { cache, handler, api } = searchDocsServer();
    const commonQueries = ["mcp monitoring", "uptime check", "health check"];
    const result = await cache.warm(
      commonQueries.map((query) => ({
        key: { tool: "search_docs", args: { query, limit: 5 } },
        fn: async () => ({
          content: [{ type: "text", text: JSON.stringify([`${query} #1`, `${query} #2`]) }],
        }),
      })),
    );
    expect(result).toEqual({ warmed: 3, failed: 0 });
    await handler({ query: "uptime check", limit: 5 });
    expect(api.calls).toBe(0);
    expect(cache.stats().tools.search_docs?.hitRate).toBe(0.25);
  });

  it("invalidates a tool after the underlying data changed", async () => {
    const { cache, handler, api } = searchDocsServer();
    await handler({ query: "q", limit: 1 });
    await cache.invalidateTool("search_docs");
    await handler({ query: "q", limit: 1 });
    expect(api.calls).toBe(2);
  });
});
