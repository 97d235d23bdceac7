import { describeValue } from "@mcp-persist/keys";
import { McpArgumentError } from "./errors";
import type { RequestContext } from "./sdk-shapes";

/**
 * A handler's context, as the functions that read it take it. `undefined` is what a handler
 * written `(args, extra)` passes for a tool without `inputSchema` (called as `handler(extra)`):
 * read as "no session, no caller, no signal", it would fail silently.
 * @throws {McpArgumentError} naming `fn`, for anything but an object.
 */
export function assertContext(fn: string, context: unknown): asserts context is RequestContext {
  if (typeof context !== "object" || context === null) {
    throw new McpArgumentError(
      `${fn}() needs the tool handler's extra (SDK v1) or ctx (SDK v2), got ${describeValue(context)}. A tool registered without inputSchema is called as handler(extra): take it as the first parameter`,
    );
  }
}

/**
 * The request's cancellation: v2 `ctx.mcpReq.signal`, v1 `extra.signal`. Hand it to the upstream
 * call a handler makes, so a cancelled request stops that too.
 * @throws {McpArgumentError} when `context` is not an object (see {@link assertContext}).
 */
export function requestSignal(context: RequestContext): AbortSignal | undefined {
  assertContext("requestSignal", context);
  return signalOf(context);
}

/** {@link requestSignal} of a context the SDK passed, for the policies' own use. */
export function signalOf(context: RequestContext): AbortSignal | undefined {
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
