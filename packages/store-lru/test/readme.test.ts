// The README examples, run as written.
import { createCache } from "@mcp-persist/cache-core";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { expect, it } from "vitest";
import { lruStore } from "../src/index";

it("runs the cache-core README example", async () => {
  const cache = createCache({ store: lruStore({ max: 10_000 }), defaultTtlMs: 5 * 60_000 });
  let upstreamCalls = 0;
  async function searchDocs(args: { query: string; limit: number }) {
    upstreamCalls++;
    return { content: [{ type: "text", text: `top ${args.limit} results for ${args.query}` }] };
  }
  const args = { query: "mcp monitoring", limit: 5 };
  const first = await cache.wrap({ tool: "search_docs", args }, () => searchDocs(args));
  const again = await cache.wrap({ tool: "search_docs", args: { limit: 5, query: "mcp monitoring" } }, () =>
    searchDocs(args),
  );
  expect([upstreamCalls, again.content[0]?.text === first.content[0]?.text]).toEqual([1, true]);
  expect(cache.stats().tools.search_docs?.hitRate).toBe(0.5);
});

it("runs the cache-core requireCaller example", async () => {
  const cache = createCache({
    store: lruStore(),
    defaultTtlMs: 60_000,
    requireCaller: true,
    tools: {
      search_docs: { requireCaller: false, ttlMs: 5 * 60_000 },
      get_profile: { ttlMs: 30_000 },
    },
  });
  const forgot = await cache.wrap({ tool: "get_profile", args: {} }, async () => "bob's profile");
  expect([forgot, cache.stats().tools.get_profile?.bypass["no-scope"]]).toEqual(["bob's profile", 1]);
});

it("runs the store-lru README examples", async () => {
  const store = lruStore({ max: 10_000, maxSizeBytes: 64 * 1024 * 1024 });
  const cache = createCache({ store, defaultTtlMs: 60_000 });
  const weather = await cache.wrap({ tool: "get_weather", args: { city: "Oslo" } }, async () => ({
    content: [{ type: "text", text: "Oslo: 3 °C, light rain" }],
  }));
  expect([weather.content[0]?.text, store.lru.size, store.state.size]).toEqual([
    "Oslo: 3 °C, light rain",
    1,
    2,
  ]);
  await store.close();

  const clock = createManualClock();
  const timed = lruStore({ clock });
  await timed.set("k", "v", 1000);
  clock.advance(1001);
  expect(await timed.get("k")).toBeUndefined();
});
