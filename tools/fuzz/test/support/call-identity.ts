import type { Caller } from "@mcp-persist/keys";
import { canonicalize } from "@mcp-persist/keys";

// The tests' own notion of "the same call", independent of the key layout under test: the tool,
// its version, the caller's parts and the canonical arguments (canonicalize is proven injective
// by the keys package's parse-back property test).

/** One identity per caller: a string as is, an object by its sorted parts; `undefined` if it is not a caller. */
export function callerId(caller: unknown): string | undefined {
  if (caller === undefined) return "-";
  if (typeof caller === "string") return caller.length > 0 ? `s${caller}` : undefined;
  if (typeof caller !== "object" || caller === null) return undefined;
  const parts = Object.entries(caller).filter(([, value]) => value !== undefined);
  if (parts.length === 0) return undefined;
  if (
    parts.some(
      ([key, value]) =>
        !["user", "tenant", "session", "client"].includes(key) ||
        typeof value !== "string" ||
        value.length === 0,
    )
  ) {
    return undefined;
  }
  return `o${JSON.stringify(parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}

/** What makes two tool calls the same call, or `undefined` when the call cannot be keyed. */
export function callIdentity(call: {
  tool: string;
  version?: string;
  caller?: Caller;
  args: unknown;
}): string | undefined {
  const who = callerId(call.caller);
  if (who === undefined || call.tool.length === 0 || call.version === "") return undefined;
  let args: string;
  try {
    args = canonicalize(call.args);
  } catch {
    return undefined;
  }
  return JSON.stringify([call.tool, call.version ?? "v1", who, args]);
}
