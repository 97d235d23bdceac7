import { REMEMBERED_CALLERS, rememberBounded } from "@mcp-persist/cache-core/kit";
import type { Caller } from "@mcp-persist/keys";
import {
  type CallerKeyParts,
  callerKeyParts,
  callerSegment,
  singleKey,
  type ToolKeyParts,
  type ToolRule,
  toolKeyParts,
  toolKeysOf,
} from "./key-layout";

// A server sees the same callers and tools again and again; remembering their keys spares each
// check the caller's SHA-256 digest, the escaping of every segment, and a new string that the
// store's lookup would have to hash and compare character by character (the remembered one is
// the very string the store keeps, found by identity). Bounded, because callers come and go:
// `REMEMBERED_CALLERS` (cache-core's, for every per-caller memo) of each.
//
// `createRateLimiter` keeps that many keys (~150 bytes each, the key string included, which an
// in-process store shares: 2.4 MB at most). A tool limiter keeps that many callers and tool names
// (their digests and per-caller keys, ~300 bytes each) and as many key lists, one per caller and
// tool (~150 bytes): past the lists' bound every list is forgotten but not the callers (a list is
// made again from its caller's parts, without a digest); past the callers' bound, everything is.

/** A Map that forgets its oldest entries past `REMEMBERED_CALLERS` (what FIFO loses to LRU, a miss refills). */
class Memo<V> {
  readonly #map = new Map<string, V>();

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): V {
    rememberBounded(this.#map, key, value, REMEMBERED_CALLERS);
    return value;
  }
}

/** The key lists of `createRateLimiter(...).check(key)`: one key each, built once per key. */
export class SingleKeys {
  readonly #base: string;
  readonly #memo = new Memo<readonly string[]>();

  constructor(base: string) {
    this.#base = base;
  }

  /** @throws {KeyError} for a key that is not a non-empty string (from `keySegment`). */
  of(key: string): readonly string[] {
    return this.#memo.get(key) ?? this.#memo.set(key, Object.freeze([singleKey(this.#base, key)]));
  }
}

/**
 * What a tool limiter remembers of one caller: the parts its keys share, whatever the tool (the
 * digest is made once per caller, not once per tool), and its key lists by tool.
 */
interface CallerMemo {
  readonly parts: CallerKeyParts;
  readonly byTool: Map<string, readonly string[]>;
}

/**
 * Callers with the same fields present, remembered by value: one map level per present field, in
 * the order `user`, `tenant`, `session`, `client`; the caller's memo below the last.
 */
type ByValues = Map<string, unknown> | CallerMemo;

/**
 * The keys of a tool call, one per active rule in order, remembered per caller and tool. A string
 * caller is remembered by itself; an object caller by which fields it has (`#objects[mask]`, a
 * bit per field: a missing field costs no lookup), then by their values (one map level per field
 * present, so no new string is built to look it up), when it is a plain object with no field but
 * `user`, `tenant`, `session` and `client`, each a non-empty string or missing: all its digest
 * depends on (see `callerDigest`). Any other caller is digested on every call, as before, so that
 * what it throws, or how it is digested, never changes.
 *
 * Caller first, then tool: a caller's digest and its per-caller key are made once for all its
 * tools, and every key list of one caller (or one tool) holds the same per-caller (per-tool)
 * string, which an in-process store then finds by identity.
 */
export class ToolCallKeys {
  readonly #base: string;
  readonly #rules: readonly ToolRule[];
  readonly #strings = new Map<string, CallerMemo>();
  readonly #objects: (ByValues | undefined)[] = [];
  #anonymous: CallerMemo | undefined;
  readonly #tools = new Map<string, ToolKeyParts>();
  /** Every caller remembered, to forget their key lists (see `#listed`). */
  readonly #callers: CallerMemo[] = [];
  /** Callers and tools remembered, against `REMEMBERED_CALLERS`. */
  #remembered = 0;
  /** Key lists remembered, against `REMEMBERED_CALLERS`. */
  #listed = 0;

  constructor(base: string, rules: readonly ToolRule[]) {
    this.#base = base;
    this.#rules = rules;
  }

  /** What is remembered, for tests: callers, tool names, key lists. */
  get remembered(): { callers: number; tools: number; lists: number } {
    return { callers: this.#callers.length, tools: this.#tools.size, lists: this.#listed };
  }

  /** @throws {KeyError} for an empty tool name or caller (from `keySegment` / `callerDigest`). */
  of(tool: string, caller: Caller | undefined): readonly string[] {
    const memo = this.#callerMemo(caller, tool);
    if (memo === undefined) return this.#keyList(callerKeyParts(this.#base, callerSegment(caller)), tool);
    return memo.byTool.get(tool) ?? this.#rememberKeys(memo, tool);
  }

  /**
   * The memo of `caller`, made (digest and all) if it is not remembered; `undefined` for a caller
   * that is never remembered (see the class comment). `tool` is checked before a caller is
   * remembered: a call that cannot be keyed leaves nothing behind.
   * @throws {KeyError} for a caller the digest refuses, then for a bad tool.
   */
  #callerMemo(caller: Caller | undefined, tool: string): CallerMemo | undefined {
    if (caller === undefined) return this.#anonymous ?? (this.#anonymous = this.#newCaller(undefined, tool));
    if (typeof caller === "string") {
      let memo = this.#strings.get(caller);
      if (memo === undefined) {
        memo = this.#newCaller(caller, tool);
        this.#strings.set(caller, memo);
      }
      return memo;
    }
    if (!hasOnlyCallerFields(caller)) return undefined;
    const { user, tenant, session, client } = caller;
    if (!(isField(user) && isField(tenant) && isField(session) && isField(client))) return undefined;
    const mask =
      (user === undefined ? 0 : 1) |
      (tenant === undefined ? 0 : 2) |
      (session === undefined ? 0 : 4) |
      (client === undefined ? 0 : 8);
    let found = this.#objects[mask];
    if (user !== undefined) found = down(found, user);
    if (tenant !== undefined) found = down(found, tenant);
    if (session !== undefined) found = down(found, session);
    if (client !== undefined) found = down(found, client);
    if (found !== undefined) return found as CallerMemo;
    // Digested from the values just read, so that what is remembered is what they give.
    const memo = this.#newCaller({ user, tenant, session, client }, tool);
    const values = [user, tenant, session, client].filter((value) => value !== undefined);
    const last = values.pop() as string; // one at least: the digest refused a caller with none
    let map = this.#objects[mask] as Map<string, unknown> | undefined;
    if (map === undefined) {
      map = new Map();
      this.#objects[mask] = map;
    }
    for (const value of values) map = level(map, value);
    map.set(last, memo);
    return memo;
  }

  /** @throws {KeyError} for a caller the digest refuses, then for a bad `tool`: nothing is remembered. */
  #newCaller(caller: Caller | undefined, tool: string): CallerMemo {
    const memo: CallerMemo = { parts: callerKeyParts(this.#base, callerSegment(caller)), byTool: new Map() };
    this.#toolParts(tool);
    this.#count();
    this.#callers.push(memo);
    return memo;
  }

  /** `memo`'s caller's key list for `tool`, remembered. @throws {KeyError} for a bad tool: nothing is remembered. */
  #rememberKeys(memo: CallerMemo, tool: string): readonly string[] {
    const keys = this.#keyList(memo.parts, tool);
    if (++this.#listed > REMEMBERED_CALLERS) {
      // Lists only: each is made again from its caller's parts, with no digest.
      for (const each of this.#callers) each.byTool.clear();
      this.#listed = 1;
    }
    memo.byTool.set(tool, keys);
    return keys;
  }

  /** The key list of the caller with `parts` and `tool`, one key per active rule. @throws {KeyError} for a bad tool. */
  #keyList(parts: CallerKeyParts, tool: string): readonly string[] {
    const keys = toolKeysOf(parts, this.#toolParts(tool));
    return Object.freeze(this.#rules.map((rule) => keys[rule]));
  }

  /** `tool`'s key parts, remembered. @throws {KeyError} for a bad tool: nothing is remembered. */
  #toolParts(tool: string): ToolKeyParts {
    let parts = this.#tools.get(tool);
    if (parts === undefined) {
      parts = toolKeyParts(this.#base, tool);
      this.#count();
      this.#tools.set(tool, parts);
    }
    return parts;
  }

  /**
   * Counts one more caller or tool remembered. Past the bound, everything is forgotten at once
   * (what is in use comes back at once; the rest was costing memory for nothing), before the new
   * one is added.
   */
  #count(): void {
    if (++this.#remembered <= REMEMBERED_CALLERS) return;
    this.#strings.clear();
    this.#objects.length = 0;
    this.#anonymous = undefined;
    this.#tools.clear();
    this.#callers.length = 0;
    this.#remembered = 1;
    this.#listed = 0;
  }
}

/** What `found`, a map level (or nothing), holds under `value`. */
function down(found: ByValues | undefined, value: string): ByValues | undefined {
  return (found as Map<string, ByValues> | undefined)?.get(value);
}

/** The map one level down for `value`, made if missing. */
function level(map: Map<string, unknown>, value: string): Map<string, unknown> {
  let next = map.get(value) as Map<string, unknown> | undefined;
  if (next === undefined) {
    next = new Map();
    map.set(value, next);
  }
  return next;
}

/** A caller field the digest accepts: missing, or a non-empty string. */
function isField(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === "string" && value.length > 0);
}

/** A plain object (as `canonicalize` reads one) whose enumerable fields are caller fields only. */
function hasOnlyCallerFields(caller: unknown): caller is Exclude<Caller, string> {
  if (typeof caller !== "object" || caller === null) return false;
  const proto = Object.getPrototypeOf(caller);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const field in caller) {
    if (field !== "user" && field !== "tenant" && field !== "session" && field !== "client") return false;
  }
  return true;
}
