// Compiled (never run) by `pnpm typecheck` with `tsc --strict` against the built packages, the way
// an application on the current SDK line (@modelcontextprotocol/server 2.x) compiles them: every
// result helper must be assignable to the SDK's `CallToolResult` and usable as a tool handler's
// return value, and the v2 handler context must be accepted where the packages take a request.
import { createCache, isErrorResult } from "@mcp-persist/cache-core";
import { busyToolResult, once, withLock } from "@mcp-persist/lock";
import { createToolRateLimiter, mcpCaller, rateLimitedResult } from "@mcp-persist/ratelimit";
import { createShutdown } from "@mcp-persist/shutdown";
import { lruStore } from "@mcp-persist/store-lru";
import { type CallToolResult, McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
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
  {
    description: "Search",
    inputSchema: z.object({ query: z.string(), limit: z.number().int() }),
  },
  async (args, ctx) => {
    const limited = await limiter.check({ tool: "search", caller: mcpCaller(ctx) });
    if (!limited.allowed) return rateLimitedResult(limited);
    return cache.wrap(
      { tool: "search", args, caller: ctx.http?.authInfo?.clientId },
      async (): Promise<CallToolResult> => ({ content: [{ type: "text", text: `${args.query}` }] }),
      { requireCaller: true },
    );
  },
);

server.registerTool(
  "send_email",
  { description: "Send an email once", inputSchema: z.object({ userId: z.string() }) },
  async ({ userId }, ctx) => {
    const result = await once(store, `email:${userId}`, async (lock) => ({ id: `m-${lock.fencingToken}` }), {
      signal: ctx.mcpReq.signal,
    });
    if (result.status === "busy" || result.status === "unknown") return busyToolResult(result);
    return { content: [{ type: "text", text: `sent ${result.value.id}` }] };
  },
);

// A tool registered without `inputSchema` is called as handler(ctx).
server.registerTool("get_profile", { description: "The caller's profile" }, async (ctx) => {
  const locked = await withLock(
    store,
    "profile",
    { ttlMs: 1000, signal: ctx.mcpReq.signal },
    async () => "me",
  );
  if (locked.status === "busy") return busyToolResult(locked, "Profile busy");
  return { content: [{ type: "text", text: locked.value }] };
});

const shutdown = createShutdown({ stdin: true });
const transport = new StdioServerTransport();
shutdown.addTransport(transport);
shutdown.addStore(store);
await server.connect(transport);
