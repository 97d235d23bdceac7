import type { Caller } from "@mcp-persist/cache-core";
import { type CallerOptions, mcpCaller, requestSignal, type ToolPolicies } from "@mcp-persist/mcp";
import type { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpServer as McpServerV2 } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { Upstream } from "./upstream";

/** What the tools need besides the server: the policies, the upstream APIs, and who the caller is. */
export interface ToolDeps {
  policies: ToolPolicies;
  upstream: Upstream;
  /** The caller rule the policies use, so `get_metrics` answers for the caller it is cached for. */
  caller: CallerOptions;
  /** Counts a handler's work as in flight for the shutdown (stdio has no HTTP request to watch). */
  track<T>(work: Promise<T>): Promise<T>;
}

const SEARCH_TTL_MS = 5 * 60_000;
const METRICS_TTL_MS = 60_000;

// Built once: SDK v2 builds a server, and so registers the tools, for every HTTP request.
const searchInput = z.object({
  query: z.string().min(1).describe("Words to look for, e.g. 'rate limits'"),
  limit: z.number().int().min(1).max(10).default(5).describe("How many results, 1 to 10"),
});
const searchOutput = z.object({
  query: z.string(),
  results: z.array(z.object({ title: z.string(), url: z.string() })),
  upstreamCall: z.number().int().describe("Which upstream call (in the process that made it) produced this"),
});
const metricsInput = z.object({ window: z.enum(["1h", "24h", "7d"]).default("24h") });
const metricsOutput = z.object({
  caller: z.string(),
  window: z.string(),
  toolCalls: z.number().int(),
  errorRate: z.number(),
  upstreamCall: z.number().int(),
});
const emailInput = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  body: z.string().max(10_000).default(""),
});
const emailOutput = z.object({ to: z.string(), messageId: z.string(), upstreamCall: z.number().int() });

/** What the server tells clients about itself (`serverInfo`), on both SDK lines. */
export const SERVER_INFO = { name: "mcp-persist-example", version: "1.0.0" };

/**
 * The three tools, declared once for both SDK lines: each policy sits next to the tool's own
 * description, schemas and annotations, and the tool name is written once. Returns the server.
 */
export function registerTools<S extends McpServerV1 | McpServerV2>(sdkServer: S, deps: ToolDeps): S {
  const { policies, upstream, track } = deps;
  // Typed as the union, not the type parameter: handler contexts then resolve to the SDKs' own.
  const server: McpServerV1 | McpServerV2 = sdkServer;

  // Read-only and the same for everyone: cached for 5 minutes, shared by every caller.
  policies.registerTool(
    server,
    "search_docs",
    {
      title: "Search the docs",
      description:
        "Searches the mcp-persist documentation. Answers are cached for 5 minutes and shared by every caller.",
      inputSchema: searchInput,
      outputSchema: searchOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
      cache: { ttlMs: SEARCH_TTL_MS },
    },
    async ({ query, limit }, ctx) => {
      const { results, upstreamCall } = await track(upstream.searchDocs(query, limit, requestSignal(ctx)));
      const found = `${results.length} result${results.length === 1 ? "" : "s"} for "${query}"`;
      const lines = results.map(({ title, url }) => `- ${title}: ${url}`);
      return answer(`${found} (upstream call #${upstreamCall})`, lines, { query, results, upstreamCall });
    },
  );

  // Read-only but private to each caller: cached for 60 s per caller, never shared.
  policies.registerTool(
    server,
    "get_metrics",
    {
      title: "Your usage metrics",
      description:
        "Your own usage of the upstream API over a window. Cached for 60 s per caller: no caller ever sees another's.",
      inputSchema: metricsInput,
      outputSchema: metricsOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
      cache: { ttlMs: METRICS_TTL_MS, perCaller: true },
    },
    async ({ window }, ctx) => {
      const caller = mcpCaller(ctx, deps.caller);
      // Without an identity the policy bypasses the cache; the answer itself has nobody to describe.
      if (caller === undefined) return notIdentified();
      const metrics = await track(upstream.accountMetrics(callerName(caller), requestSignal(ctx)));
      const { toolCalls, errorRate, upstreamCall } = metrics;
      return answer(
        `${metrics.caller}: ${toolCalls} tool calls in ${window}, ${(errorRate * 100).toFixed(1)}% errors (upstream call #${upstreamCall})`,
        [],
        { ...metrics, window },
      );
    },
  );

  // A side effect: never cached; 5 a minute per caller; one send at a time per recipient.
  policies.registerTool(
    server,
    "send_email",
    {
      title: "Send an email",
      description:
        "Sends an email. At most 5 a minute per caller; a second send to the same recipient while one is in progress is refused (try again in a moment).",
      inputSchema: emailInput,
      outputSchema: emailOutput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
      rateLimit: true,
      lock: { resource: ({ to }) => `email:${to.toLowerCase()}`, ttlMs: 30_000, waitMs: 0 },
    },
    async ({ to, subject }, ctx) => {
      const sent = await track(upstream.sendEmail(to, subject, requestSignal(ctx)));
      return answer(`Sent "${subject}" to ${to} (upstream call #${sent.upstreamCall})`, [], sent);
    },
  );
  return sdkServer;
}

/** A readable name for a caller: `client:alice`, `session:…`, `client:alice/session:…`. */
function callerName(caller: Caller): string {
  if (typeof caller === "string") return caller;
  return Object.entries(caller)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}:${value}`)
    .join("/");
}

/** A result whose text carries what `structuredContent` does, for clients that only read text. */
function answer<T extends Record<string, unknown>>(summary: string, lines: string[], structured: T) {
  const upstream = `upstreamCall: ${String(structured.upstreamCall)}`;
  return {
    content: [{ type: "text" as const, text: [summary, ...lines, upstream].join("\n") }],
    structuredContent: structured,
  };
}

function notIdentified() {
  return {
    isError: true,
    content: [
      {
        type: "text" as const,
        text: "get_metrics answers per caller, and this request carries no identity: authenticate (with this example's demo auth, send Authorization: Bearer <your name>).",
      },
    ],
  };
}
