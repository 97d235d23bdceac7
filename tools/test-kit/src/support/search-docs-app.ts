import { randomUUID } from "node:crypto";
import { type CacheOptions, createCache, type Store } from "@mcp-persist/cache-core";
import type { Caller } from "@mcp-persist/keys";

export interface SearchArgs {
  query: string;
  limit: number;
}

/**
 * The guides' MCP server in miniature: a `search_docs` tool whose handler is wrapped in the cache.
 * It takes the store as its one parameter: moving from store-lru to Redis changes that line only
 * (and `tiers`, `{ l1: true, singleFlight: "fleet" }`, turns on the two tiers on a shared store).
 */
export function searchDocsApp(
  store: Store,
  namespace = `app-${randomUUID()}`,
  tiers: Pick<CacheOptions, "l1" | "singleFlight"> = {},
) {
  const cache = createCache({ store, defaultTtlMs: 60_000, namespace, ...tiers });
  let upstreamCalls = 0;
  const searchDocsApi = async (args: SearchArgs, caller: string) => {
    upstreamCalls++;
    return { content: [{ type: "text", text: `${caller} asked "${args.query}" (top ${args.limit})` }] };
  };
  return {
    cache,
    upstreamCalls: () => upstreamCalls,
    /** The tool handler: shared results, or per caller with `caller`. */
    searchDocs: (args: SearchArgs, caller?: Caller) =>
      cache.wrap({ tool: "search_docs", args, caller }, () =>
        searchDocsApi(args, JSON.stringify(caller ?? "anyone")),
      ),
  };
}
