import type { Caller } from "@mcp-persist/cache-core";
import { optionNames } from "@mcp-persist/cache-core/kit";
import { describeValue } from "@mcp-persist/keys";
import { invalidOption, knownNames } from "./errors";
import { assertContext } from "./request-context";
import type { RequestContext } from "./sdk-shapes";

/** Options of {@link mcpCaller}, and the `caller` option of `createToolPolicies` in this form. */
export interface CallerOptions {
  /**
   * What identifies the caller when the request carries both a session and an authenticated
   * client. `"session"` refines the client by its session (`{ client, session }`): each session
   * gets its own cache entries and limits. `"client"` keys on the client alone (`{ client }`):
   * one client shares them across its sessions, so opening a new session cannot reset a limit.
   * @default "session"
   */
  prefer?: "session" | "client";
  /**
   * The client identity when the request carries no `authInfo.clientId`: e.g. the one user of a
   * stdio server (stdio has no session and no auth, so without it every call is anonymous).
   * @default undefined
   */
  identity?: string;
}

/** Reads the caller from a handler's context (v1 `extra`, v2 `ctx`) your own way. */
export type CallerResolver = (context: RequestContext) => Caller | undefined;

/**
 * The caller of a request: the authenticated client (`authInfo.clientId` in SDK v1,
 * `http.authInfo.clientId` in v2, else `options.identity`), refined by the session where one
 * exists — `{ client, session }`, `{ client }` or `{ session }` — or `undefined` when nothing
 * identifies it. Per-caller cache entries are then bypassed (a miss is cheap, a leak is not), and
 * rate limits put the call in one shared anonymous bucket (strict, never unlimited).
 *
 * @throws {McpArgumentError} when `context` is not an object: `undefined` is what a handler written
 * `(args, extra)` passes for a tool without `inputSchema` (called as `handler(extra)`), and reading
 * it as "nobody" would silently put every caller in the anonymous bucket.
 * @throws {InvalidOptionError} for a `prefer` other than `"session"` / `"client"`, a non-string
 * `identity`, or an option it does not take (a misspelt `identity` would leave every call anonymous).
 */
export function mcpCaller(context: RequestContext, options: CallerOptions = {}): Caller | undefined {
  assertContext("mcpCaller", context);
  const { prefer = "session", identity } = checkCallerOptions(options);
  const session = nonEmpty(context.sessionId);
  const client =
    nonEmpty(context.authInfo?.clientId) ?? nonEmpty(context.http?.authInfo?.clientId) ?? nonEmpty(identity);
  if (client === undefined) return session === undefined ? undefined : { session };
  return session === undefined || prefer === "client" ? { client } : { client, session };
}

/**
 * The resolver `createToolPolicies` uses: the one it was given, or {@link mcpCaller} with the
 * given options (checked now, so a typo fails at startup rather than on the first call).
 */
export function callerResolver(option: CallerOptions | CallerResolver | undefined): CallerResolver {
  if (typeof option === "function") return option;
  const options = checkCallerOptions(option ?? {});
  return (context) => mcpCaller(context, options);
}

const callerOptionNames = knownNames(optionNames<CallerOptions>({ prefer: true, identity: true }));

/** @throws {InvalidOptionError} naming the bad option. */
export function checkCallerOptions(options: CallerOptions): CallerOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidOption(
      `caller options must be an object such as { prefer: "client" } or a function (ctx) => caller, got ${describeValue(options)}`,
    );
  }
  callerOptionNames(options, "caller");
  if (options.prefer !== undefined && options.prefer !== "session" && options.prefer !== "client") {
    throw invalidOption(`caller.prefer must be "session" or "client", got ${describeValue(options.prefer)}`);
  }
  if (options.identity !== undefined && typeof options.identity !== "string") {
    throw invalidOption(`caller.identity must be a string, got ${describeValue(options.identity)}`);
  }
  return options;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
