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

/** What a caller's keys share, whatever the tool. */
export interface CallerKeyParts {
  /** `<base>:{<caller>}`: the per-caller key, and the head of each per-caller-per-tool key. */
  readonly perCaller: string;
}

/** What a tool's keys share, whatever the caller. */
export interface ToolKeyParts {
  /** The tool's escaped segment. */
  readonly segment: string;
  /** `<base>:_all:{<tool>}`: the per-tool key. */
  readonly perTool: string;
}

/** The parts of the keys of the caller whose segment is `who` (its digest, or `_anon`). */
export function callerKeyParts(base: string, who: string): CallerKeyParts {
  return { perCaller: `${base}:{${who}}` };
}

/** @throws {KeyError} for a tool that is not a non-empty string (from `keySegment`). */
export function toolKeyParts(base: string, tool: string): ToolKeyParts {
  const segment = keySegment(tool);
  return { segment, perTool: `${base}:${ALL_CALLERS}:{${segment}}` };
}

/** The three keys of a tool call, from its caller's and its tool's parts. */
export function toolKeysOf(caller: CallerKeyParts, tool: ToolKeyParts): Record<ToolRule, string> {
  return {
    perCallerPerTool: `${caller.perCaller}:${tool.segment}`,
    perCaller: caller.perCaller,
    perTool: tool.perTool,
  };
}

/** Which hash tag a rule's keys carry: the caller's for per-caller rules, the tool's for per-tool. */
export function toolSlotGroup(rule: ToolRule): "caller" | "tool" {
  return rule === "perTool" ? "tool" : "caller";
}
