import type { CallerScope } from "@mcp-persist/keys";

/**
 * What a tool handler receives, as far as the caller is concerned: the MCP SDK v1 `extra`
 * (`sessionId`, `authInfo`) or the v2 `ctx` (`http.authInfo`; v2 has no sessions).
 */
export interface McpRequestContext {
  /** v1: the protocol session, when the transport has one (not on stdio or stateless HTTP). */
  readonly sessionId?: string | undefined;
  /** v1: what the server's auth middleware verified. */
  readonly authInfo?: { readonly clientId?: string | undefined } | undefined;
  /** v2: the HTTP request's verified auth. */
  readonly http?: { readonly authInfo?: { readonly clientId?: string | undefined } | undefined } | undefined;
}

/** Options of {@link mcpCaller}. */
export interface McpCallerOptions {
  /**
   * Which identity counts as the caller when both are known. `session` gives each session its own
   * limits; `client` shares them across every session of one authenticated client, so opening new
   * sessions cannot reset them.
   * @default "session"
   */
  prefer?: "session" | "client";
  /**
   * The client identity when the request carries no `clientId`: e.g. the single user of a stdio
   * server, or an id your own auth put somewhere else.
   * @default undefined
   */
  identity?: string;
}

/**
 * The caller of a tool call, for per-caller limits: the session where one exists, else the
 * client identity (`authInfo.clientId`, else `options.identity`). `undefined` when neither is
 * known; the tool limiter then puts the call in one shared anonymous bucket (strict, never
 * unlimited). Pass the result as `caller` to `ToolRateLimiter.check`; keys carry only its digest.
 */
export function mcpCaller(
  context: McpRequestContext,
  options: McpCallerOptions = {},
): CallerScope | undefined {
  const session = nonEmpty(context.sessionId);
  const client =
    nonEmpty(context.authInfo?.clientId ?? context.http?.authInfo?.clientId) ?? nonEmpty(options.identity);
  if (session !== undefined && (options.prefer !== "client" || client === undefined)) return { session };
  return client === undefined ? undefined : { client };
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
