// Compiled (never run) by `pnpm typecheck` with `tsc --strict` against the built packages, the way
// an application on the current SDK line (@modelcontextprotocol/server 2.x) compiles them: every
// result helper must be assignable to the SDK's `CallToolResult` and usable as a tool handler's
// return value, and the v2 handler context must be accepted where the packages take a request.
import { createCache, isErrorResult } from "@mcp-persist/cache-core";
import { busyToolResult, once, withLock } from "@mcp-persist/lock";
import {
  busyResult,
  createEventStore,
  createServerEventBus,
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
  type CallToolResult,
  createMcpHandler,
  type EventStore,
  McpServer,
  type RegisteredResource,
  type RegisteredResourceTemplate,
  type RegisteredTool,
  ResourceTemplate,
  type ServerEventBus,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
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

// @mcp-persist/mcp: one declaration per tool, typed from the SDK's own registerTool.
const policies = createToolPolicies({ cache, limiter });

// A Standard Schema object: the handler's args come from it, `ctx` is v2's ServerContext.
const sendEmail: RegisteredTool = policies.registerTool(
  server,
  "send_email_policy",
  {
    description: "Send an email",
    inputSchema: z.object({ to: z.string(), cc: z.string().optional() }),
    annotations: { destructiveHint: true },
    rateLimit: true,
    lock: { resource: ({ to }) => `email:${to}`, waitMs: 0 },
  },
  async ({ to, cc }, ctx) => {
    const signal: AbortSignal = ctx.mcpReq.signal;
    const client: string | undefined = ctx.http?.authInfo?.clientId;
    return { content: [{ type: "text", text: `${to} ${cc ?? ""} ${client ?? ""} ${signal.aborted}` }] };
  },
);
sendEmail.disable();

// An output schema and structured content.
policies.registerTool(
  server,
  "search_docs_policy",
  {
    inputSchema: z.object({ query: z.string() }),
    outputSchema: z.object({ hits: z.number() }),
    annotations: { readOnlyHint: true },
    cache: { ttlMs: 300_000 },
  },
  async ({ query }) => ({
    content: [{ type: "text", text: query }],
    structuredContent: { hits: query.length },
  }),
);

// No inputSchema: v2 calls the handler as handler(ctx).
policies.registerTool(
  server,
  "get_metrics_policy",
  { annotations: { readOnlyHint: true }, cache: { perCaller: true } },
  async (ctx) => ({ content: [{ type: "text", text: String(ctx.mcpReq.id) }] }),
);

// A handler typed with the SDK's own result, and once keyed on the arguments.
policies.registerTool(
  server,
  "charge_card_policy",
  { inputSchema: z.object({ key: z.string() }), once: { key: ({ key }) => key } },
  async (): Promise<CallToolResult> => ({ content: [] }),
);

policies.registerTool(
  server,
  "typo",
  // @ts-expect-error a misspelt policy is an error, not a silently dropped safety
  { annotations: { readOnlyHint: true }, ratelimit: true },
  async () => ({ content: [] }),
);

policies.registerTool(
  server,
  "untyped_argument",
  { inputSchema: z.object({ to: z.string() }) },
  // @ts-expect-error the arguments are typed from the input schema
  async ({ from }) => ({ content: [{ type: "text", text: from }] }),
);

// Resources: a fixed URI and a template, each returning the SDK's registration.
const readme: RegisteredResource = policies.registerResource(
  server,
  "readme",
  "docs://readme",
  { mimeType: "text/plain", cache: { ttlMs: 60_000 } },
  async (uri, ctx) => ({ contents: [{ uri: uri.href, text: String(ctx.mcpReq.id) }] }),
);
const pages: RegisteredResourceTemplate = policies.registerResource(
  server,
  "pages",
  new ResourceTemplate("docs://pages/{name}", { list: undefined }),
  { cache: true },
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

// The event store is the SDK's `EventStore`; the session state is reached from a handler's `ctx`
// (2.4 carries an optional `sessionId`).
export function resumableTransport(): unknown {
  const eventStore: EventStore = createEventStore(store, { maxEventsPerStream: 1000, maxAgeMs: 3_600_000 });
  const sessions = createSessionState(store, { ttlMs: 1_800_000 });
  server.registerTool("remember", { inputSchema: z.object({ note: z.string() }) }, async ({ note }, ctx) => {
    const stored = await sessions.of(ctx)?.set("note", note);
    const previous: string | undefined = await sessions.of(ctx)?.get<string>("note");
    return { content: [{ type: "text", text: `${stored} ${previous}` }] };
  });
  return new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => "s",
    eventStore,
    onsessionclosed: async (id) => {
      await sessions.end(id);
    },
  });
}

// The server event bus is the SDK's `ServerEventBus`, for `createMcpHandler({ bus })`.
export function fleetHandler(): ServerEventBus {
  const handler = createMcpHandler(() => new McpServer({ name: "type-test", version: "1.0.0" }), {
    bus: createServerEventBus(store, { channel: "app:server-events" }),
  });
  handler.notify.resourceUpdated("docs://readme");
  const bus: ServerEventBus = createServerEventBus(store);
  return bus;
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
