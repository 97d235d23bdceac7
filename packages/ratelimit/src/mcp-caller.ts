import { type Caller, describeValue } from "@mcp-persist/keys";
import { invalidOption, RateLimitArgumentError } from "./errors";

/**
 * What a tool handler receives, as far as the caller is concerned: the MCP SDK v1 `extra`
 * (`sessionId`, `authInfo`) or the v2 `ctx` (`http.authInfo`; v2 has no sessions).
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `RequestContext`. This one
 * keeps working until the next major, so that this package needs nothing of the SDKs.
 */
export interface McpRequestContext {
  /** v1: the protocol session, when the transport has one (not on stdio or stateless HTTP). */
  readonly sessionId?: string | undefined;
  /** v1: what the server's auth middleware verified. */
  readonly authInfo?: { readonly clientId?: string | undefined } | undefined;
  /** v2: the HTTP request's verified auth. */
  readonly http?: { readonly authInfo?: { readonly clientId?: string | undefined } | undefined } | undefined;
}

/**
 * Options of {@link mcpCaller}.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `CallerOptions`. This one keeps
 * working until the next major.
 */
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
 * unlimited). Pass the result, as it is, as the `caller` of a `ToolCall`: to `ToolRateLimiter.check`
 * and to `cache.wrap` alike (no `JSON.stringify`: keys carry only its canonical digest).
 *
 * `context` is the handler's `extra` (v1) or `ctx` (v2), always an object. SDK v1 calls a tool
 * registered without `inputSchema` as `handler(extra)`: its first parameter is `extra`.
 * @throws {RateLimitArgumentError} when `context` is not an object: `undefined` is what a handler
 * written `(args, extra)` for a tool without `inputSchema` passes, and reading it as "no caller
 * known" would silently put every caller in the one anonymous bucket.
 * @throws {InvalidOptionError} for `prefer` other than `"session"` or `"client"`, or an
 * `identity` that is not a string.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `mcpCaller` (which refines the
 * client by the session, `{ client, session }`, where this one keeps only the session), or let
 * `createToolPolicies` read the caller for you. This one keeps working, unchanged, until the
 * next major.
 */
export function mcpCaller(context: McpRequestContext, options: McpCallerOptions = {}): Caller | undefined {
  if (typeof context !== "object" || context === null) {
    throw new RateLimitArgumentError(
      `mcpCaller() needs the tool handler's extra (SDK v1) or ctx (SDK v2), got ${describeValue(context)}. A tool registered without inputSchema is called as handler(extra): take extra as its first parameter`,
    );
  }
  const { prefer = "session", identity } = checkOptions(options);
  const session = nonEmpty(context.sessionId);
  const client =
    nonEmpty(context.authInfo?.clientId ?? context.http?.authInfo?.clientId) ?? nonEmpty(identity);
  if (session !== undefined && (prefer === "session" || client === undefined)) return { session };
  return client === undefined ? undefined : { client };
}

function checkOptions(options: McpCallerOptions): McpCallerOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidOption(
      `mcpCaller() options must be an object, e.g. { prefer: "client" }, got ${describeValue(options)}`,
    );
  }
  if (options.prefer !== undefined && options.prefer !== "session" && options.prefer !== "client") {
    throw invalidOption(`prefer must be "session" or "client", got ${describeValue(options.prefer)}`);
  }
  if (options.identity !== undefined && typeof options.identity !== "string") {
    throw invalidOption(`identity must be a string, got ${describeValue(options.identity)}`);
  }
  return options;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
