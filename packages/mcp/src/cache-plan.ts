import type { Cache, WrapOptions } from "@mcp-persist/cache-core";
import { assertTtlMs, optionNames } from "@mcp-persist/cache-core/kit";
import { describeValue } from "@mcp-persist/keys";
import { boolean, invalidOption, knownNames, PKG } from "./errors";
import type { Runtime } from "./runtime";
import { schemaVersion } from "./schema-version";
import type { ToolAnnotations } from "./sdk-shapes";
import type { ResourceCachePolicy, ToolCachePolicy } from "./tool-declaration";

/** How one tool's (or resource's) calls go through the cache. */
export interface CachePlan {
  readonly cache: Cache;
  readonly ttlMs: number | undefined;
  readonly staleTtlMs: number | undefined;
  /** `true`: keyed per caller, bypassed without one; `false`: shared; `undefined`: the cache decides. */
  readonly perCaller: boolean | undefined;
  readonly version: string | undefined;
}

/** The `cache.wrap` options of a call: the plan's TTLs and caller rule, the request's signal. */
export function wrapOptions<T>(plan: CachePlan, signal: AbortSignal | undefined): WrapOptions<T> {
  const options: WrapOptions<T> = {};
  if (plan.ttlMs !== undefined) options.ttlMs = plan.ttlMs;
  if (plan.staleTtlMs !== undefined) options.staleTtlMs = plan.staleTtlMs;
  if (plan.perCaller !== undefined) options.requireCaller = plan.perCaller;
  if (signal !== undefined) options.signal = signal;
  return options;
}

/**
 * Whether the annotations allow caching: read-only, or idempotent and not destructive (the spec's
 * defaults are `readOnlyHint: false`, `destructiveHint: true`, so an unannotated tool may mutate).
 */
export function mayCache(annotations: ToolAnnotations | undefined): boolean {
  return (
    annotations?.readOnlyHint === true ||
    (annotations?.idempotentHint === true && annotations?.destructiveHint === false)
  );
}

/**
 * The cache plan of a tool, or `undefined` when it is not cached: no `cache` field (caching is
 * opt-in), `cache: false`, or a tool that may mutate without `force` (refused with a warning).
 * @throws {InvalidOptionError} for a malformed policy, or `cache` without a cache to use.
 */
export function toolCachePlan(
  tool: string,
  policy: boolean | ToolCachePolicy | undefined,
  schemas: { annotations?: ToolAnnotations; inputSchema?: unknown; outputSchema?: unknown },
  runtime: Runtime,
): CachePlan | undefined {
  const checked = checkCachePolicy(tool, policy, runtime.cache, true);
  if (checked === undefined) return undefined;
  const cache = runtime.cache as Cache;
  if (!mayCache(schemas.annotations)) {
    if (checked.force !== true) {
      runtime.warn(
        "cache-refused",
        tool,
        "mcp_cache_refused",
        "cache refused: the tool's annotations say it may change something; declare readOnlyHint: true, or cache: { force: true }",
      );
      return undefined;
    }
    runtime.warn(
      "cache-forced",
      tool,
      "mcp_cache_forced",
      "caching a tool whose annotations say it may change something (cache: { force: true })",
    );
  }
  let version = checked.version;
  if (version === undefined) {
    version = schemaVersion(schemas.inputSchema, schemas.outputSchema);
    if (version === undefined) {
      runtime.warn(
        "schema-unversioned",
        tool,
        "mcp_schema_unversioned",
        'a schema has no JSON Schema form, so cache keys use version "v1": give cache.version and change it with the schema',
      );
    }
  }
  return planOf(cache, checked, version);
}

/** The cache plan of a resource (explicit `version`, else the cache's default "v1"). */
export function resourceCachePlan(
  label: string,
  policy: boolean | ResourceCachePolicy | undefined,
  runtime: Runtime,
): CachePlan | undefined {
  const checked = checkCachePolicy(label, policy, runtime.cache, false);
  return checked === undefined ? undefined : planOf(runtime.cache as Cache, checked, checked.version);
}

function planOf(cache: Cache, policy: ToolCachePolicy, version: string | undefined): CachePlan {
  return { cache, ttlMs: policy.ttlMs, staleTtlMs: policy.staleTtlMs, perCaller: policy.perCaller, version };
}

const RESOURCE_FIELDS = { ttlMs: true, staleTtlMs: true, perCaller: true, version: true } as const;
/** A tool's `cache` fields; a resource's lack `force` (a read is never a mutation). */
const FIELDS = {
  tool: knownNames(optionNames<ToolCachePolicy>({ ...RESOURCE_FIELDS, force: true })),
  resource: knownNames(optionNames<ResourceCachePolicy>(RESOURCE_FIELDS)),
};

function checkCachePolicy(
  label: string,
  policy: boolean | ToolCachePolicy | undefined,
  cache: Cache | undefined,
  forceAllowed: boolean,
): ToolCachePolicy | undefined {
  if (policy === undefined || policy === false) return undefined;
  if (cache === undefined) {
    throw invalidOption(
      `${label} declares cache, but createToolPolicies() got no cache: pass { cache: createCache({ store, defaultTtlMs }) }`,
    );
  }
  if (policy === true) return {};
  if (typeof policy !== "object" || policy === null) {
    throw invalidOption(
      `${label}: cache must be true, false or { ttlMs, staleTtlMs, perCaller, version… }, got ${describeValue(policy)}`,
    );
  }
  FIELDS[forceAllowed ? "tool" : "resource"](policy, `${label}: cache`);
  if (policy.ttlMs !== undefined) assertTtlMs(policy.ttlMs, PKG, `${label}: cache.ttlMs`);
  const { staleTtlMs, perCaller, version, force } = policy;
  if (
    staleTtlMs !== undefined &&
    !(typeof staleTtlMs === "number" && staleTtlMs >= 0 && staleTtlMs < Infinity)
  ) {
    throw invalidOption(
      `${label}: cache.staleTtlMs must be a number of milliseconds from 0, got ${describeValue(staleTtlMs)}`,
    );
  }
  if (force !== undefined) boolean(`${label}: cache.force`, force);
  if (perCaller !== undefined) boolean(`${label}: cache.perCaller`, perCaller);
  if (version !== undefined && (typeof version !== "string" || version.length === 0)) {
    throw invalidOption(`${label}: cache.version must be a non-empty string, got ${describeValue(version)}`);
  }
  return policy;
}
