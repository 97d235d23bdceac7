import { type Caller, callerDigest, keySegment } from "@mcp-persist/keys";

/** The caller segment of keys for calls whose caller is unknown: one shared bucket. */
const ANONYMOUS_CALLER = "_anon";

/** The segment that stands for "every caller" in per-tool keys. */
const ALL_CALLERS = "_all";

// Layout (base = <prefix>:<algorithm>); the {…} part is the Redis Cluster hash tag:
//   <base>:<key>                    createRateLimiter(...).check(key)
//   <base>:{<caller>}:<tool>        per caller per tool   (slot of the caller)
//   <base>:{<caller>}               per caller, all tools (slot of the caller)
//   <base>:_all:{<tool>}            per tool, all callers (slot of the tool)
// <caller> is the SHA-256 digest of the caller (keys' callerDigest, 32 hex) or `_anon`; keySegment escapes
// `{`, `}` and `:` in everything else, so no input can forge a tag or another layout's key.

/** The key of `createRateLimiter(...).check(key)`: the caller's key escaped as one segment. */
export function singleKey(base: string, key: string): string {
  return `${base}:${keySegment(key)}`;
}

/** The caller's segment: its digest, never the identity in clear. */
export function callerSegment(caller: Caller | undefined): string {
  return caller === undefined ? ANONYMOUS_CALLER : callerDigest(caller);
}

/** The rules of a tool limiter, by the keys they count on. */
export type ToolRule = "perCallerPerTool" | "perCaller" | "perTool";

/** The three keys of a tool call. */
export function toolCallKeys(
  base: string,
  tool: string,
  caller: Caller | undefined,
): Record<ToolRule, string> {
  const who = callerSegment(caller);
  const what = keySegment(tool);
  return {
    perCallerPerTool: `${base}:{${who}}:${what}`,
    perCaller: `${base}:{${who}}`,
    perTool: `${base}:${ALL_CALLERS}:{${what}}`,
  };
}

/** Which hash tag a rule's keys carry: the caller's for per-caller rules, the tool's for per-tool. */
export function toolSlotGroup(rule: ToolRule): "caller" | "tool" {
  return rule === "perTool" ? "tool" : "caller";
}
