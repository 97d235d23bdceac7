import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Counter } from "prom-client";

/**
 * The stand-in upstream APIs the tools call: slow (so concurrent calls overlap and a cache hit
 * is visible), and each answer stamped with `upstreamCall`, this process's running count of
 * upstream calls. A client that gets the same number twice got the second answer from the cache;
 * from a second process sharing Redis, it gets the number the first process stamped.
 */
export interface Upstream {
  searchDocs(query: string, limit: number, signal?: AbortSignal): Promise<SearchAnswer>;
  accountMetrics(caller: string, signal?: AbortSignal): Promise<MetricsAnswer>;
  sendEmail(to: string, subject: string, signal?: AbortSignal): Promise<EmailAnswer>;
}

export type SearchAnswer = { results: { title: string; url: string }[]; upstreamCall: number };
export type MetricsAnswer = { caller: string; toolCalls: number; errorRate: number; upstreamCall: number };
export type EmailAnswer = { to: string; messageId: string; upstreamCall: number };

/** How long each stand-in takes, ms: at least 50, so that calls made together overlap. */
export const UPSTREAM_LATENCY_MS = { search_docs: 80, get_metrics: 60, send_email: 150 } as const;

const DOCS = [
  ["Caching tool results", "cache-core#wrap"],
  ["Per-caller rate limits", "ratelimit#caller-identity"],
  ["Locks and fencing tokens", "lock#withlock"],
  ["Sending an email once", "lock#once"],
  ["Graceful shutdown of an MCP server", "shutdown#what-happens-in-order"],
  ["Liveness and readiness probes", "health#endpoints"],
  ["Moving the cache to Redis", "store-ioredis#your-own-client"],
  ["Redis Cluster and hash tags", "cache-core#hashtag"],
  ["Prometheus metrics for the cache", "cache-core#registercachemetrics"],
  ["Tool policies for the MCP SDK", "mcp#tool-policies"],
] as const;

/** `calls` counts upstream calls per tool (`mcp_upstream_calls_total{tool}`). */
export function createUpstream(calls: Counter<"tool">): Upstream {
  let count = 0;
  const call = async (tool: keyof typeof UPSTREAM_LATENCY_MS, signal: AbortSignal | undefined) => {
    await sleep(UPSTREAM_LATENCY_MS[tool], undefined, { signal });
    calls.inc({ tool });
    count += 1;
    return count;
  };
  return {
    async searchDocs(query, limit, signal) {
      const upstreamCall = await call("search_docs", signal);
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const score = (title: string) => words.filter((word) => title.toLowerCase().includes(word)).length;
      const results = DOCS.map(([title, page]) => ({ title, url: `https://mcp-persist.dev/docs/${page}` }))
        .filter(({ title }) => score(title) > 0)
        .sort((a, b) => score(b.title) - score(a.title))
        .slice(0, limit);
      return { results, upstreamCall };
    },
    async accountMetrics(caller, signal) {
      const upstreamCall = await call("get_metrics", signal);
      // Figures that differ from one caller to the next, and stay put for one caller.
      const seed = createHash("sha256").update(caller).digest().readUInt32BE(0);
      return { caller, toolCalls: seed % 1000, errorRate: (seed % 97) / 1000, upstreamCall };
    },
    async sendEmail(to, _subject, signal) {
      const upstreamCall = await call("send_email", signal);
      return { to, messageId: `<${randomUUID()}@mail.example>`, upstreamCall };
    },
  };
}
