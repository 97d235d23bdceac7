import type { Cache, Logger, Store } from "@mcp-persist/cache-core";
import type { ToolRateLimiter } from "@mcp-persist/ratelimit";
import type { CallerOptions, CallerResolver } from "./caller";

/**
 * What the policies report through `onEvent`, besides the cache's own events. Events name the
 * tool (resources as `resource:<name>`), never the caller or the arguments.
 */
export type McpPolicyEvent =
  /** The rate limit refused a call; the model got the denial text. */
  | { type: "denied"; tool: string; rule: string; retryAfterMs: number }
  /** The lock (or `once`) was busy; the model got the busy text. */
  | { type: "busy"; tool: string }
  /** `once` found an earlier attempt whose outcome is unknown; the model got that text. */
  | { type: "unknown"; tool: string }
  /** A call the lock or `once` answered without running the handler gave its rate-limit unit back. */
  | { type: "refund"; tool: string; returned: boolean }
  /** The request was cancelled while it waited (for the lock, or for a call another request runs). */
  | { type: "cancelled"; tool: string }
  /** Registration: `cache: { force: true }` on a tool whose annotations say it may change something. */
  | { type: "cache-forced"; tool: string }
  /** Registration: `cache` on a tool that may change something, without `force`: not cached. */
  | { type: "cache-refused"; tool: string }
  /** Registration: a schema has no JSON Schema form, so the key's version is "v1", not a digest. */
  | { type: "schema-unversioned"; tool: string };

/** Options of `createToolPolicies`. Every policy a tool declares needs the part it runs on. */
export interface ToolPoliciesOptions {
  /** The cache (`createCache()` from `@mcp-persist/cache-core`), for tools that declare `cache`. @default none */
  cache?: Cache;
  /** The limiter (`createToolRateLimiter()` from `@mcp-persist/ratelimit`), for tools that declare `rateLimit`. @default none */
  limiter?: ToolRateLimiter;
  /** Where `lock` and `once` keep their locks and results. @default cache.store */
  lockStore?: Store;
  /**
   * Who is calling: options for `mcpCaller` (the authenticated client, refined by the
   * session), or your own resolver `(ctx) => caller`. On stdio there is no session and no auth:
   * give `{ identity }` (one per process) or a resolver, or every call is anonymous — per-caller
   * entries are then never cached, and rate limits share one strict bucket.
   * @default {} (mcpCaller's defaults)
   */
  caller?: CallerOptions | CallerResolver;
  /**
   * Whether a call answered from the cache spends a rate-limit unit. By default only calls that
   * run the handler are charged: a hit costs the upstream nothing.
   * @default false
   */
  chargeCacheHits?: boolean;
  /** Warnings at registration (forced or refused caching, unversioned schemas): a pino-shaped logger, with `debug`, `info`, `warn` and `error`. @default silent */
  logger?: Logger;
  /** Called synchronously with every {@link McpPolicyEvent}; keep it cheap. @default none */
  onEvent?: (event: McpPolicyEvent) => void;
}
