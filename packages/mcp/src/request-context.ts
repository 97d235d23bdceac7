import type { RequestContext } from "./sdk-shapes";

/**
 * The request's cancellation: v2 `ctx.mcpReq.signal`, v1 `extra.signal`. Hand it to the upstream
 * call a handler makes, so a cancelled request stops that too.
 */
export function requestSignal(context: RequestContext): AbortSignal | undefined {
  return context.mcpReq?.signal ?? context.signal;
}

/** The `_meta` key naming the protocol revision of a request (2026-07-28 and later). */
const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";

/**
 * Whether the request is of the 2026-07-28 revision or later, whose `resources/read` results
 * carry cache fields (`ttlMs`, `cacheScope`): SDK v2 (`ctx.mcpReq`) serving a request whose
 * envelope names its revision. SDK v1, and SDK v2 serving a 2025-era client, get none.
 */
export function takesCacheHints(context: RequestContext): boolean {
  const envelope = context.mcpReq?.envelope as Record<string, unknown> | undefined;
  const revision = envelope?.[PROTOCOL_VERSION_KEY];
  return typeof revision === "string" && revision >= "2026-07-28";
}

/** The handler's context, which both SDKs pass last; a plain object stands in if there is none. */
export function contextOf(params: readonly unknown[]): RequestContext {
  const last = params[params.length - 1];
  return typeof last === "object" && last !== null ? (last as RequestContext) : {};
}
