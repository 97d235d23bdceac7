import type { LockOptions, OnceOptions } from "@mcp-persist/lock";
import type { ToolAnnotations } from "./sdk-shapes";

/**
 * How a tool's results are cached (`cache: true` takes every default). Caching is opt-in per
 * tool, and allowed only for tools annotated `readOnlyHint: true` (or `idempotentHint: true`
 * with `destructiveHint: false`); on any other tool it is refused with a warning, unless `force`.
 */
export interface ToolCachePolicy {
  /** TTL of this tool's entries, ms. @default the cache's own (`tools[name].ttlMs`, else `defaultTtlMs`) */
  ttlMs?: number;
  /** Grace window after the TTL in which a stale result may be served, ms. @default the cache's own */
  staleTtlMs?: number;
  /**
   * The result depends on who asks: entries are kept per caller, and a call with no identity is
   * not cached at all (a miss is cheap, a leak is not). `false` shares one entry among all callers;
   * left out, the cache's own `requireCaller` decides (default: shared).
   * @default undefined (shared, unless the cache requires a caller)
   */
  perCaller?: boolean;
  /**
   * The version segment of this tool's keys. Left out, it is `s` + a digest of the tool's input
   * and output JSON Schemas, so deploying a changed schema never serves old-shaped results; give
   * one when the handler's behaviour changes under the same schemas.
   * @default "s<digest of the schemas>" ("v1" when a schema has no JSON Schema form)
   */
  version?: string;
  /**
   * Cache a tool whose annotations say it may change something. Loud on purpose: registration
   * logs a warning (`event: "mcp_cache_forced"`).
   * @default false
   */
  force?: boolean;
}

/** How a resource's reads are cached (`cache: true` takes every default). */
export type ResourceCachePolicy = Omit<ToolCachePolicy, "force">;

/** A tool's rate limit (`rateLimit: true` charges one unit a call). */
export interface ToolRateLimitPolicy {
  /** Units each call takes from every rule of the limiter: a positive integer. @default 1 */
  cost?: number;
}

/** Names the locked resource or `once` key: fixed, or from the call. */
export type KeyFrom<A, Ctx> = string | ((args: A, ctx: Ctx) => string);

/**
 * Run the handler under `withLock` (from `@mcp-persist/lock`): one call per resource at a time,
 * across every process sharing the lock store. A busy lock answers with the busy text, and the
 * call's rate-limit unit goes back.
 */
export type ToolLockPolicy<A, Ctx> = Omit<LockOptions, "signal" | "onStoreError"> & {
  /** The resource to lock, e.g. `(args) => \`email:${args.to}\``. */
  resource: KeyFrom<A, Ctx>;
  /** Replaces the busy text. @default LOCK_BUSY_MESSAGE ("Operation in progress — try again in a moment") */
  busyMessage?: string;
};

/**
 * Run the handler under `once` (from `@mcp-persist/lock`): at most once per key, retries get the
 * stored result. A result with `isError: true` is not stored: the attempt counts as not done.
 */
export type ToolOncePolicy<A, Ctx> = Omit<OnceOptions, "signal" | "onStoreError"> & {
  /** The idempotency key, e.g. `(args) => args.idempotencyKey`. */
  key: KeyFrom<A, Ctx>;
  /** Replaces the busy text (the unknown text stays). @default LOCK_BUSY_MESSAGE */
  busyMessage?: string;
};

/** The policy fields of a tool declaration: stripped before the SDK sees the config. */
export type ToolPolicyFields<A, Ctx> = {
  /** Cache the tool's results: see {@link ToolCachePolicy}. Needs `createToolPolicies({ cache })`. @default false */
  cache?: boolean | ToolCachePolicy;
  /** Charge each call to the limiter. Needs `createToolPolicies({ limiter })`. @default false */
  rateLimit?: boolean | ToolRateLimitPolicy;
  /** Run the handler under a lock: see {@link ToolLockPolicy}. Not with `once`. @default none */
  lock?: ToolLockPolicy<A, Ctx>;
  /** Run the handler at most once per key: see {@link ToolOncePolicy}. Not with `lock`. @default none */
  once?: ToolOncePolicy<A, Ctx>;
};

/** `registerTool`'s config: the SDK's own fields, plus the policy fields. */
export type ToolDeclaration<I, O, A, Ctx> = {
  title?: string;
  description?: string;
  inputSchema?: I;
  outputSchema?: O;
  annotations?: ToolAnnotations;
  icons?: readonly unknown[];
  _meta?: Record<string, unknown>;
  /** SDK v2 fields this package passes through as they are. */
  execution?: unknown;
  scopeChallenge?: unknown;
} & ToolPolicyFields<A, Ctx>;

/** `registerResource`'s config: the SDK's resource metadata, plus `cache`. */
export type ResourceDeclaration = {
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Record<string, unknown>;
  icons?: readonly unknown[];
  _meta?: Record<string, unknown>;
  /** SDK v2: the hint for reads this package does not cache; cached reads carry their own. */
  cacheHint?: { ttlMs?: number; cacheScope?: "public" | "private" };
  scopeChallenge?: unknown;
  /** Cache reads per URI (and per caller with `perCaller`). Needs `createToolPolicies({ cache })`. @default false */
  cache?: boolean | ResourceCachePolicy;
};
