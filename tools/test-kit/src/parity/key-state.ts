import type { ScriptReply } from "@mcp-persist/cache-core";
import type { LocalValue } from "@mcp-persist/cache-core/kit";

/**
 * What one key holds after a call, comparable across Redis and an in-process keyspace: its type,
 * its milliseconds left (-1 none), and its content. A sorted set is compared by its scores: a JS
 * twin keeps the sorted set as an ascending array of scores (or a Map of member -> score), and
 * member names are an implementation detail of the Lua side. In such an array, `-Infinity` marks a
 * member the Lua has removed (the sliding log drops those in bulk, later).
 */
export type KeyState =
  | { type: "none" }
  | { type: "string"; ttl: number; value: string }
  | { type: "zset"; ttl: number; scores: number[] }
  | { type: "list"; ttl: number; items: string[] }
  | { type: "other"; ttl: number; what: string };

/** How one call ended on one side: its reply or its failure, and the state of each of its keys. */
export type Outcome =
  | { reply: ScriptReply; keys: Record<string, KeyState> }
  | { failed: true; keys: Record<string, KeyState> };

/** The state of an in-process value with `ttl` ms left (`Infinity`: none; `undefined`: missing). */
export function localKeyState(value: LocalValue | undefined, ttl: number | undefined): KeyState {
  if (value === undefined || ttl === undefined) return { type: "none" };
  const left = ttl === Number.POSITIVE_INFINITY ? -1 : Math.max(0, Math.ceil(ttl));
  if (typeof value === "string") return { type: "string", ttl: left, value };
  if (Array.isArray(value) && value.every((item) => typeof item === "number")) {
    const scores = value.filter((score) => score !== Number.NEGATIVE_INFINITY);
    return { type: "zset", ttl: left, scores: scores.sort((a, b) => a - b) };
  }
  // A list: a JS twin keeps a Redis list as an array of strings, in list order.
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string")) {
    return { type: "list", ttl: left, items: [...value] };
  }
  if (value instanceof Map && [...value.values()].every((item) => typeof item === "number")) {
    return {
      type: "zset",
      ttl: left,
      scores: [...(value.values() as Iterable<number>)].sort((a, b) => a - b),
    };
  }
  return { type: "other", ttl: left, what: Object.prototype.toString.call(value) };
}

/** The state of a Redis key, from the clocked wrapper's `{type, value…}` and expiry. */
export function redisKeyState(state: readonly ScriptReply[], expiry: number, now: number): KeyState {
  const [type, ...content] = state;
  if (type === "none" || expiry === -2) return { type: "none" };
  const ttl = expiry === -1 ? -1 : expiry - now;
  if (type === "string") return { type: "string", ttl, value: String(content[0]) };
  if (type === "zset") return { type: "zset", ttl, scores: content.map(Number) };
  if (type === "list") return { type: "list", ttl, items: content.map(String) };
  return { type: "other", ttl, what: String(type) };
}
