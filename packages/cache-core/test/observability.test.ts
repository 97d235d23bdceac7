import { type CacheEvent, createCache, registerCacheMetrics } from "@mcp-persist/cache-core";
import { faultyStore, memoryStore } from "@mcp-persist/cache-core/testing";
import { loadLogId } from "@mcp-persist/keys";
import * as promClient from "prom-client";
import { describe, expect, it } from "vitest";
import { recordingLogger, setup, upstream } from "./support";

async function traffic() {
  const context = setup();
  const { cache } = context;
  const f = upstream((n) => n);
  await cache.wrap({ tool: "search", args: { q: "a" }, caller: "alice" }, f.fn); // miss
  await cache.wrap({ tool: "search", args: { q: "a" }, caller: "alice" }, f.fn); // hit
  await cache.wrap({ tool: "search", args: { q: "a" }, caller: "alice" }, f.fn); // hit
  await cache.wrap({ tool: "search", args: { q: "b" } }, f.fn); // miss
  await cache.wrap({ tool: "search", args: {} }, f.fn, { bypass: true });
  await cache.wrap({ tool: "profile", args: {} }, f.fn, { requireCaller: true });
  await cache.wrap({ tool: "profile", args: {}, caller: "bob" }, () => ({ isError: true }));
  await cache.wrap("plain", f.fn);
  return context;
}

describe("stats", () => {
  it("counts hits, misses and bypasses per tool, with hit rates", async () => {
    const { cache } = await traffic();
    const stats = cache.stats();
    expect(stats.tools.search).toMatchObject({ hits: 2, misses: 2, stale: 0, errors: 0, hitRate: 0.5 });
    expect(stats.tools.search?.bypass.policy).toBe(1);
    expect(stats.tools.profile).toMatchObject({ hits: 0, misses: 1, hitRate: 0 });
    expect(stats.tools.profile?.bypass).toMatchObject({ "no-scope": 1, "error-result": 1 });
    expect(stats.tools._).toMatchObject({ misses: 1 });
    expect(stats.total).toMatchObject({ hits: 2, misses: 4, hitRate: 2 / 6 });
  });

  it("counts store errors per tool", async () => {
    const cache = createCache({ store: faultyStore(memoryStore(), "reject"), defaultTtlMs: 1000 });
    await cache.wrap({ tool: "a", args: {} }, () => 1);
    await cache.wrap({ tool: "a", args: {} }, () => 1);
    await cache.wrap({ tool: "b", args: {} }, () => 1);
    expect([cache.stats().tools.a?.errors, cache.stats().tools.b?.errors]).toEqual([2, 1]);
  });
});

describe("Prometheus adapter", () => {
  it("exports cache_hits_total and friends labelled by tool only", async () => {
    const { cache } = await traffic();
    const registry = new promClient.Registry();
    registerCacheMetrics(cache, { client: promClient, registry });
    const text = await registry.metrics();
    expect(text).toContain('cache_hits_total{tool="search"} 2');
    expect(text).toContain('cache_misses_total{tool="search"} 2');
    expect(text).toContain('cache_misses_total{tool="profile"} 1');
    expect(text).toContain('cache_bypass_total{tool="profile",reason="no-scope"} 1');
    expect(text).toContain('cache_bypass_total{tool="search",reason="policy"} 1');
    expect(text).toContain('cache_stale_total{tool="search"} 0');
    expect(text).toContain('cache_store_errors_total{tool="search"} 0');
    expect(text).toContain("# TYPE cache_coalesced_total counter");
    expect(text).not.toMatch(/alice|bob|"q"|mcp:/);
    // Counters follow the cache between scrapes and never go down.
    await cache.wrap({ tool: "search", args: { q: "b" } }, () => 0);
    expect(await registry.metrics()).toContain('cache_hits_total{tool="search"} 3');
  });

  it("takes a prefix so several caches can share a registry", async () => {
    const { cache } = await traffic();
    const registry = new promClient.Registry();
    registerCacheMetrics(cache, { client: promClient, registry, prefix: "docs_" });
    expect(await registry.metrics()).toContain('docs_cache_hits_total{tool="search"} 2');
  });
});

describe("events and logs", () => {
  it("reports hits and misses with a logId, never the key, arguments or caller", async () => {
    const logId = await loadLogId();
    const { logger, lines } = recordingLogger(true);
    const events: CacheEvent[] = [];
    const { cache } = setup({ logger, onEvent: (event) => events.push(event) });
    const call = { tool: "search", args: { q: "secret query" }, caller: "alice@example.com" };
    await cache.wrap(call, () => 1);
    await cache.wrap(call, () => 1);
    expect(events.map((e) => e.type)).toEqual(["miss", "set", "hit"]);
    const hit = events[2];
    expect(hit).toMatchObject({ type: "hit", tool: "search" });
    expect((hit as { logId?: string }).logId).toMatch(/^[0-9a-f]{16}$/);
    expect(events[0]).toMatchObject({ logId: (hit as { logId?: string }).logId });
    const serialized = JSON.stringify([events, lines]);
    expect(serialized).not.toMatch(/secret|alice|mcp:search/);
    expect(lines.filter((line) => line.level === "debug").map((line) => line.msg)).toEqual([
      "cache miss",
      "cache set",
      "cache hit",
    ]);
    expect(logId("x")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("builds no per-call events when nobody listens (logger at info, no onEvent)", async () => {
    const { logger, lines } = recordingLogger(false);
    const cache = createCache({ store: memoryStore(), defaultTtlMs: 1000, logger });
    await cache.wrap("k", () => 1);
    await cache.wrap("k", () => 1);
    expect(lines).toEqual([]);
    expect(cache.stats().total.hits).toBe(1);
  });

  it("survives an onEvent hook that throws", async () => {
    const { logger, lines } = recordingLogger(false);
    const cache = createCache({
      store: memoryStore(),
      defaultTtlMs: 1000,
      logger,
      onEvent: () => {
        throw new Error("bad hook");
      },
    });
    expect(await cache.wrap("k", () => 1)).toBe(1);
    expect(lines.some((line) => line.level === "error")).toBe(true);
  });
});
