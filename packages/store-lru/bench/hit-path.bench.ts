// Hit-path cost per call, store-lru: `cache.wrap({ tool, args }, fn)` (key derivation, store GET
// with its deadline, envelope check, decode) against a raw `LRUCache.get` of a precomputed key
// and against the guides' hand-written hit path. Each task runs 1000 hits, so figures are per
// 1000 calls and the harness's own per-iteration cost is amortised.
import { createHash } from "node:crypto";
import { createCache } from "@mcp-persist/cache-core";
import { LRUCache } from "lru-cache";
import { bench, describe } from "vitest";
import { lruStore } from "../src/index";

const BATCH = 1000;
const args = { query: "mcp monitoring", limit: 5, filters: { lang: "en", tags: ["docs", "guides"] } };
const result = {
  content: [{ type: "text", text: JSON.stringify(["MCP monitoring guide", "Uptime checks", "Health"]) }],
};
const serialized = JSON.stringify(result);

// The guides' reference: deepSortKeys + JSON.stringify + sha256 + LRUCache.get.
function deepSortKeys(obj: unknown): unknown {
  if (obj === null || typeof obj !== "object") return obj;
  if (Array.isArray(obj)) return obj.map(deepSortKeys);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(obj as object).sort())
    sorted[key] = deepSortKeys((obj as Record<string, unknown>)[key]);
  return sorted;
}
const referenceKey = (tool: string, a: unknown) =>
  `mcpcache:${createHash("sha256")
    .update(`${tool}:${JSON.stringify(deepSortKeys(a))}`)
    .digest("hex")
    .slice(0, 16)}`;
const reference = new LRUCache<string, string>({ max: 500, ttl: 300_000, updateAgeOnGet: false });
reference.set(referenceKey("search_docs", args), serialized);
const rawKey = referenceKey("search_docs", args);

const cache = createCache({ store: lruStore({ max: 500 }), defaultTtlMs: 300_000 });
const upstream = async () => result;
await cache.wrap({ tool: "search_docs", args }, upstream);
// A result that is not a single text item takes the JSON decode path.
const structured = {
  content: [{ type: "text", text: "3 results" }],
  structuredContent: { results: ["MCP monitoring guide", "Uptime checks", "Health"], total: 3 },
};
const structuredUpstream = async () => structured;
await cache.wrap({ tool: "search_structured", args }, structuredUpstream);

let sink: unknown;

describe("hit path, per 1000 calls", () => {
  bench("raw LRUCache.get (precomputed key)", () => {
    for (let i = 0; i < BATCH; i++) sink = reference.get(rawKey);
  });

  bench("guides' reference (deepSortKeys + JSON.stringify + sha256 + LRUCache.get)", () => {
    for (let i = 0; i < BATCH; i++) sink = reference.get(referenceKey("search_docs", args));
  });

  bench("cache.wrap({ tool, args }) on store-lru (text result)", async () => {
    for (let i = 0; i < BATCH; i++) sink = await cache.wrap({ tool: "search_docs", args }, upstream);
  });

  bench("cache.wrap({ tool, args }) on store-lru (structured result, JSON decode)", async () => {
    for (let i = 0; i < BATCH; i++)
      sink = await cache.wrap({ tool: "search_structured", args }, structuredUpstream);
  });
});

export { sink };
