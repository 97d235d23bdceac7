// Compiled (never run) by `pnpm typecheck` with `tsc --strict` against the built packages, the way
// an application on the maintenance SDK line (@modelcontextprotocol/sdk 1.x) compiles them:
// every result helper must be assignable to the SDK's `CallToolResult` (an `interface` is not: the
// SDK's type has an index signature) and usable as a tool handler's return value.
import { createCache, isErrorResult } from "@mcp-persist/cache-core";
import { busyToolResult, once, withLock } from "@mcp-persist/lock";
import { createToolRateLimiter, mcpCaller, rateLimitedResult } from "@mcp-persist/ratelimit";
import { createShutdown } from "@mcp-persist/shutdown";
import { lruStore } from "@mcp-persist/store-lru";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const store = lruStore({ max: 100 });
const cache = createCache({ store, defaultTtlMs: 60_000 });
const limiter = createToolRateLimiter({ store, perCallerPerTool: { limit: 5, windowMs: 60_000 } });
const server = new McpServer({ name: "type-test", version: "1.0.0" });

// The helpers' results, assigned to the SDK's type.
export async function assignedToCallToolResult(): Promise<CallToolResult[]> {
  const limited = await limiter.check({ tool: "search", caller: { client: "c" } });
  const locked = await withLock(store, "resource", { ttlMs: 1000 }, async () => "done");
  const results: CallToolResult[] = [];
  if (!limited.allowed) results.push(rateLimitedResult(limited));
  if (locked.status === "busy") results.push(busyToolResult(locked));
  const ranOnce = await once(store, "side-effect", async () => 1);
  if (ranOnce.status === "busy" || ranOnce.status === "unknown") results.push(busyToolResult(ranOnce));
  // ...and the SDK's results handed to ours.
  for (const result of results) isErrorResult(result);
  return results;
}

// The helpers returned from a tool handler, beside the handler's own results.
server.registerTool(
  "search",
  { description: "Search", inputSchema: { query: z.string(), limit: z.number().int() } },
  async (args, extra) => {
    const limited = await limiter.check({ tool: "search", caller: mcpCaller(extra) });
    if (!limited.allowed) return rateLimitedResult(limited);
    return cache.wrap(
      { tool: "search", args, caller: extra.authInfo?.clientId },
      async (): Promise<CallToolResult> => ({ content: [{ type: "text", text: `${args.query}` }] }),
      { requireCaller: true },
    );
  },
);

server.registerTool(
  "send_email",
  { description: "Send an email once", inputSchema: { userId: z.string() } },
  async ({ userId }, extra) => {
    const result = await once(store, `email:${userId}`, async (lock) => ({ id: `m-${lock.fencingToken}` }), {
      signal: extra.signal,
    });
    if (result.status === "busy" || result.status === "unknown") return busyToolResult(result);
    return { content: [{ type: "text", text: `sent ${result.value.id}` }] };
  },
);

// A tool registered without `inputSchema`: v1 calls it as handler(extra).
server.registerTool("get_profile", { description: "The caller's profile" }, async (extra) => {
  const locked = await withLock(store, "profile", { ttlMs: 1000, signal: extra.signal }, async () => "me");
  if (locked.status === "busy") return busyToolResult(locked, "Profile busy");
  return { content: [{ type: "text", text: locked.value }] };
});

const shutdown = createShutdown({ stdin: true });
const transport = new StdioServerTransport();
shutdown.addTransport(transport);
shutdown.addStore(store);
await server.connect(transport);
