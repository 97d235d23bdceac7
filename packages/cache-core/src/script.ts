import { createHash } from "node:crypto";
import type { LocalContext } from "./local-context";

/** An argument passed to a script. Both bodies receive it as a string, as Redis `ARGV` does. */
export type ScriptArg = string | number;

/**
 * What a script may return: the shapes a Redis reply can take, so a Lua body and a JS body can be
 * compared. Numbers are integers (Redis truncates Lua numbers), missing values are `null`.
 */
export type ScriptReply = string | number | null | readonly ScriptReply[];

/**
 * One named atomic operation, written twice: in Lua for Redis stores (run with EVALSHA, EVAL on
 * NOSCRIPT) and in JS for in-process stores (run synchronously, so nothing interleaves).
 * The conformance kit runs the same calls through both and compares the replies.
 */
export interface Script<R extends ScriptReply = ScriptReply> {
  /** Short, unique, kebab-case name; shows up in errors and logs. */
  readonly name: string;
  /** The Lua body. Reads `KEYS[i]` and `ARGV[i]`; reads time with `redis.call('TIME')`. */
  readonly lua: string;
  /** Hex SHA1 of `lua`, the name Redis knows the script by (EVALSHA). */
  readonly sha1: string;
  /**
   * The JS body. Must be synchronous (that is what makes it atomic in process) and must only
   * touch the keys it is given, through `ctx`. Arguments arrive as strings, like Lua's `ARGV`.
   */
  local(ctx: LocalContext, keys: readonly string[], args: readonly string[]): R;
  /**
   * True when every reply of `local` is an array of safe integers (never `-0`): already what Redis
   * would reply, so an in-process store hands it back as it is instead of checking and converting
   * it item by item (see {@link ScriptDefinition.integerReply}).
   */
  readonly integerReply?: boolean;
}

/** What {@link defineScript} takes: a script without its hash. */
export interface ScriptDefinition<R extends ScriptReply> {
  /** Short, unique, kebab-case name. */
  name: string;
  /** The Lua body; comment what each `KEYS[i]` and `ARGV[i]` is. */
  lua: string;
  /** The JS body; see {@link Script.local}. */
  local(ctx: LocalContext, keys: readonly string[], args: readonly string[]): R;
  /**
   * Declares that `local` replies an array of safe integers, always. An in-process store then
   * skips the reply's conversion to Redis shapes (a scan of every item on every call, a rate
   * limit's check being the hot case); a reply that breaks the promise is handed back unconverted,
   * so declare it only for a body whose every path builds such an array, and let the conformance
   * kit compare it with the Lua's.
   * @default false
   */
  integerReply?: boolean;
}

/** Defines a script and computes its SHA1 once, at definition. */
export function defineScript<R extends ScriptReply>(definition: ScriptDefinition<R>): Script<R> {
  return Object.freeze({
    name: definition.name,
    lua: definition.lua,
    sha1: createHash("sha1").update(definition.lua).digest("hex"),
    local: definition.local,
    // Always present: every script then has one shape where a store reads it.
    integerReply: definition.integerReply === true,
  });
}
