// Compiled (never run) by `pnpm typecheck` with `tsc --strict` against the built packages, the way
// an application on the maintenance SDK line (@modelcontextprotocol/sdk 1.x) compiles them:
// every result helper must be assignable to the SDK's `CallToolResult` (an `interface` is not: the
// SDK's type has an index signature) and usable as a tool handler's return value.
import { createCache, isErrorResult } from "@mcp-persist/cache-core";
import { busyToolResult, once, withLock } from "@mcp-persist/lock";
import {
  busyResult,
  createEventStore,
  createSessionState,
  createSessionTransports,
  createToolPolicies,
  rateLimitedResult as limitedToolResult,
  type ToolResult,
} from "@mcp-persist/mcp";
import { createToolRateLimiter, mcpCaller, rateLimitedResult } from "@mcp-persist/ratelimit";
import { createShutdown } from "@mcp-persist/shutdown";
import { lruStore } from "@mcp-persist/store-lru";
import {
  McpServer,
  type RegisteredResource,
  type RegisteredResourceTemplate,
  type RegisteredTool,
  ResourceTemplate,
} from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  type EventStore,
  StreamableHTTPServerTransport,
} from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
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
  // @mcp-persist/mcp's refusals, the same way.
  if (!limited.allowed) results.push(limitedToolResult(limited));
  if (locked.status === "busy") results.push(busyResult(locked));
  if (ranOnce.status === "busy" || ranOnce.status === "unknown") results.push(busyResult(ranOnce, "Busy"));
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

// @mcp-persist/mcp: one declaration per tool, typed from the SDK's own registerTool.
const policies = createToolPolicies({ cache, limiter, caller: { identity: "stdio-user" } });

// A v1 raw shape: the handler's args come from it (optional members optional), `extra` is v1's.
const sendEmail: RegisteredTool = policies.registerTool(
  server,
  "send_email_policy",
  {
    description: "Send an email",
    inputSchema: { to: z.string(), cc: z.string().optional() },
    annotations: { destructiveHint: true },
    rateLimit: { cost: 1 },
    lock: { resource: ({ to }) => `email:${to}`, ttlMs: 30_000 },
  },
  async ({ to, cc }, extra) => {
    const signal: AbortSignal = extra.signal;
    const session: string | undefined = extra.sessionId;
    return { content: [{ type: "text", text: `${to} ${cc ?? ""} ${session ?? ""} ${signal.aborted}` }] };
  },
);
sendEmail.disable();

// A Standard Schema object, an output schema and structured content.
policies.registerTool(
  server,
  "search_docs_policy",
  {
    inputSchema: z.object({ query: z.string(), limit: z.number().int().optional() }),
    outputSchema: z.object({ hits: z.number() }),
    annotations: { readOnlyHint: true },
    cache: { ttlMs: 300_000, version: "2" },
    rateLimit: true,
  },
  async ({ query, limit }) => ({
    content: [{ type: "text", text: query }],
    structuredContent: { hits: limit ?? 0 },
  }),
);

// No inputSchema: v1 calls the handler as handler(extra).
policies.registerTool(
  server,
  "get_metrics_policy",
  { annotations: { readOnlyHint: true }, cache: { perCaller: true } },
  async (extra) => ({ content: [{ type: "text", text: String(extra.requestId) }] }),
);

// A handler typed with the SDK's own result, and once keyed on the arguments.
policies.registerTool(
  server,
  "charge_card_policy",
  { inputSchema: { key: z.string() }, once: { key: ({ key }) => key, resultTtlMs: 60_000 } },
  async (): Promise<CallToolResult> => ({ content: [] }),
);

policies.registerTool(
  server,
  "typo",
  // @ts-expect-error a misspelt policy is an error, not a silently dropped safety
  { annotations: { readOnlyHint: true }, cahce: true },
  async () => ({ content: [] }),
);

policies.registerTool(
  server,
  "untyped_argument",
  { inputSchema: { to: z.string() } },
  // @ts-expect-error the arguments are typed from the input schema
  async ({ from }) => ({ content: [{ type: "text", text: from }] }),
);

// Resources: a fixed URI and a template, each returning the SDK's registration.
const readme: RegisteredResource = policies.registerResource(
  server,
  "readme",
  "docs://readme",
  { mimeType: "text/plain", cache: { ttlMs: 60_000 } },
  async (uri, extra) => ({ contents: [{ uri: uri.href, text: extra.sessionId ?? "" }] }),
);
const pages: RegisteredResourceTemplate = policies.registerResource(
  server,
  "pages",
  new ResourceTemplate("docs://pages/{name}", { list: undefined }),
  { cache: { perCaller: true } },
  async (uri, variables) => ({ contents: [{ uri: uri.href, text: String(variables.name) }] }),
);
readme.disable();
pages.disable();

// The package's result type takes the SDK's results.
export const asToolResult = (result: CallToolResult): ToolResult => result;

const shutdown = createShutdown({ stdin: true });
const transport = new StdioServerTransport();
shutdown.addTransport(transport);
shutdown.addStore(store);
await server.connect(transport);

// The event store is the SDK's `EventStore`, for both of its streamable HTTP transports; the
// session state is reached from a handler's `extra`.
export function resumableTransports(): unknown[] {
  const eventStore: EventStore = createEventStore(store, { maxEventsPerStream: 1000, maxAgeMs: 3_600_000 });
  const sessions = createSessionState(store, { ttlMs: 1_800_000 });
  server.registerTool("remember", { inputSchema: { note: z.string() } }, async ({ note }, extra) => {
    const stored = await sessions.of(extra)?.set("note", note);
    const previous: string | undefined = await sessions.of(extra)?.get<string>("note");
    return { content: [{ type: "text", text: `${stored} ${previous}` }] };
  });
  return [
    new StreamableHTTPServerTransport({ sessionIdGenerator: () => "s", eventStore }),
    new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => "s",
      eventStore: createEventStore(store),
      onsessionclosed: async (id) => {
        await sessions.end(id);
      },
    }),
  ];
}

// Sessions any replica serves: `open` returns the SDK's web-standard transport, connected; the
// handler's options are the transport's own (`authInfo`).
export function sessionsOnAnyReplica(): (request: Request) => Promise<Response> {
  const transports = createSessionTransports({
    sessions: createSessionState(store),
    open: async (sessionId) => {
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => sessionId,
        eventStore: createEventStore(store),
      });
      await new McpServer({ name: "type-test", version: "1.0.0" }).connect(transport);
      return transport;
    },
  });
  createSessionTransports({
    sessions: createSessionState(store),
    // @ts-expect-error open returns a transport, not the server
    open: async () => new McpServer({ name: "type-test", version: "1.0.0" }),
  });
  return (request) => transports.handle(request, { authInfo: { token: "t", clientId: "c", scopes: [] } });
}
