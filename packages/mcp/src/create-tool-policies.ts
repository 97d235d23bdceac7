import type { Cache } from "@mcp-persist/cache-core";
import type { ToolPoliciesOptions } from "./options";
import { type McpStats, snapshotPolicyStats } from "./policy-stats";
import { registerResource } from "./register-resource";
import { registerTool } from "./register-tool";
import { Runtime } from "./runtime";
import type {
  ArgsOf,
  ContextOf,
  RegisteredResourceOf,
  RegisteredToolOf,
  ResourceReader,
  ResourceServer,
  TemplateReader,
  ToolHandler,
  ToolServer,
} from "./sdk-shapes";
import type { ResourceDeclaration, ToolDeclaration } from "./tool-declaration";

/** Tool and resource registration with policies: see {@link createToolPolicies}. */
export interface ToolPolicies {
  /**
   * `server.registerTool(name, config, handler)`, with the policies the config declares
   * (`cache`, `rateLimit`, `lock` or `once`; stripped before the SDK sees the config) wrapped
   * around the handler. The handler is the SDK's: `(args, ctx)`, or `(ctx)` without `inputSchema`.
   * Returns what the SDK returns (`RegisteredTool`).
   * @throws {InvalidOptionError} for a malformed declaration, or a policy without its part.
   */
  registerTool<S extends ToolServer, I = undefined, O = undefined>(
    server: S,
    name: string,
    config: ToolDeclaration<I, O, ArgsOf<I>, ContextOf<S>>,
    handler: ToolHandler<ArgsOf<I>, ContextOf<S>>,
  ): RegisteredToolOf<S>;
  /**
   * `server.registerResource(name, uri, config, read)`, its reads cached per URI when the config
   * declares `cache` (stripped before the SDK sees it). On SDK v2 cached reads carry `ttlMs`
   * (the entry's remaining TTL, with `cache.ttlMs`) and `cacheScope` (`private` per caller, else `public`).
   */
  registerResource<S extends ResourceServer>(
    server: S,
    name: string,
    uri: string,
    config: ResourceDeclaration,
    read: ResourceReader<ContextOf<S>>,
  ): RegisteredResourceOf<S, string>;
  /** The same for a `ResourceTemplate`: the read gets `(uri, variables, ctx)`. */
  registerResource<S extends ResourceServer, T extends object>(
    server: S,
    name: string,
    template: T,
    config: ResourceDeclaration,
    read: TemplateReader<ContextOf<S>>,
  ): RegisteredResourceOf<S, T>;
  /** Counts per registered tool (resources as `resource:<name>`) and in total: the cache's and the policies'. */
  stats(): McpStats;
  /** The cache the policies use, if any (for `registerMcpMetrics`). */
  readonly cache: Cache | undefined;
}

/**
 * One declaration per tool: cache, rate limit, lock or once, next to the tool's description,
 * schemas and annotations, for `@modelcontextprotocol/sdk` 1.x and `@modelcontextprotocol/server` 2.x.
 *
 * ```ts
 * const policies = createToolPolicies({ cache, limiter, caller: { identity: "stdio-user" } });
 * policies.registerTool(server, "search_docs", {
 *   description: "Search the docs",
 *   inputSchema: { query: z.string() },
 *   annotations: { readOnlyHint: true },
 *   cache: { ttlMs: 300_000 },
 *   rateLimit: true,
 * }, async ({ query }) => ({ content: [{ type: "text", text: await search(query) }] }));
 * ```
 * @throws {InvalidOptionError} for an option of the wrong type.
 */
export function createToolPolicies(options: ToolPoliciesOptions = {}): ToolPolicies {
  const runtime = new Runtime(options);
  return {
    cache: runtime.cache,
    registerTool(server, name, config, handler) {
      return registerTool(runtime, server as never, name, config as never, handler as never) as never;
    },
    registerResource(
      server: ResourceServer,
      name: string,
      uri: unknown,
      config: ResourceDeclaration,
      read: unknown,
    ) {
      return registerResource(runtime, server as never, name, uri, config, read as never) as never;
    },
    stats: () => snapshotPolicyStats(runtime.counters, runtime.cache),
  };
}
