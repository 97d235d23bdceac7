import type { ToolCall } from "@mcp-persist/cache-core";
import { type CachePlan, resourceCachePlan, wrapOptions } from "./cache-plan";
import { checkRegistration } from "./check-registration";
import { contextOf, signalOf, takesCacheHints } from "./request-context";
import type { Runtime } from "./runtime";
import type { MaybePromise, ResourceResult } from "./sdk-shapes";
import type { ResourceDeclaration } from "./tool-declaration";

type AnyReader = (...params: unknown[]) => MaybePromise<ResourceResult>;
type SdkServer = { registerResource(name: string, uri: unknown, config: object, read: AnyReader): unknown };

/** What the cache holds for a read: the result, and when it was read (for the remaining TTL). */
type CachedRead = { cachedAtMs: number; result: ResourceResult };

/**
 * Registers a resource with the SDK, its reads cached per URI (and per caller with `perCaller`).
 * On SDK v2 a cached read carries the cache's own hints: `ttlMs` (what remains of the entry's
 * TTL) and `cacheScope` (`private` for per-caller entries, `public` for shared ones).
 */
export function registerResource(
  runtime: Runtime,
  server: SdkServer,
  name: string,
  uriOrTemplate: unknown,
  config: ResourceDeclaration,
  read: AnyReader,
): unknown {
  checkRegistration("registerResource", server, name, config, read);
  const { cache, ...sdkConfig } = config;
  const label = `resource:${name}`;
  const plan = resourceCachePlan(label, cache, runtime);
  runtime.register(label);
  const reader: AnyReader =
    plan === undefined
      ? read
      : (...params) => readCached(runtime, label, plan, params, () => read(...params));
  return server.registerResource(name, uriOrTemplate, sdkConfig, reader);
}

async function readCached(
  runtime: Runtime,
  label: string,
  plan: CachePlan,
  params: readonly unknown[],
  read: () => MaybePromise<ResourceResult>,
): Promise<ResourceResult> {
  const context = contextOf(params);
  const uri = params[0] instanceof URL ? params[0].href : String(params[0]);
  const key: ToolCall = { tool: label, args: { uri }, version: plan.version };
  if (plan.perCaller === true) key.caller = runtime.identify(context);
  const entry = await plan.cache.wrap<CachedRead>(
    key,
    async () => ({ cachedAtMs: Date.now(), result: await read() }),
    wrapOptions(plan, signalOf(context)),
  );
  // 2025-era results carry no cache fields; nor does a per-caller read without a caller (not cached).
  if (!takesCacheHints(context) || (plan.perCaller === true && key.caller === undefined)) return entry.result;
  const hints: { ttlMs?: number; cacheScope: "public" | "private" } = {
    cacheScope: plan.perCaller === true ? "private" : "public",
  };
  if (plan.ttlMs !== undefined) {
    hints.ttlMs = Math.max(0, Math.floor(entry.cachedAtMs + plan.ttlMs - Date.now()));
  }
  return { ...entry.result, ...hints };
}
