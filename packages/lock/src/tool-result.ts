import type { LockBusy, OnceUnknown } from "./types";

/** The text a tool returns when the lock is busy. */
export const LOCK_BUSY_MESSAGE = "Operation in progress — try again in a moment";

/** The text a tool returns when an earlier attempt of a `once` side effect never finished. */
export const ONCE_UNKNOWN_MESSAGE =
  "An earlier attempt of this operation was interrupted and may or may not have completed — check its effect before trying again";

/**
 * A tool result shaped like MCP's `CallToolResult` (structurally, so this package needs no SDK):
 * an error the model can read and act on. A type alias, not an interface: only an alias is
 * assignable to the SDKs' `CallToolResult`, whose index signature an interface does not satisfy.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `NotRunResult`. This one keeps
 * working until the next major.
 */
export type NotRunToolResult = {
  content: [{ type: "text"; text: string }];
  isError: true;
};

/**
 * Turns a `busy` (or `once`'s `unknown`) outcome into a tool result:
 * `if (result.status !== "ran" && result.status !== "done") return busyToolResult(result);`
 * Pass `message` to word it your way.
 * @deprecated The MCP glue moved to `@mcp-persist/mcp`: use its `busyResult` (the same results),
 * or declare `lock` / `once` on the tool with `createToolPolicies`. This one keeps working,
 * unchanged, until the next major. `LOCK_BUSY_MESSAGE` and `ONCE_UNKNOWN_MESSAGE` stay here.
 */
export function busyToolResult(outcome: LockBusy | OnceUnknown, message?: string): NotRunToolResult {
  const text = message ?? (outcome.status === "busy" ? LOCK_BUSY_MESSAGE : ONCE_UNKNOWN_MESSAGE);
  return { content: [{ type: "text", text }], isError: true };
}
