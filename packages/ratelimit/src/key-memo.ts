import { rememberBounded } from "@mcp-persist/cache-core/kit";
import type { Caller } from "@mcp-persist/keys";
import { singleKey, type ToolRule, toolCallKeys } from "./key-layout";

// A server sees the same callers and tools again and again; remembering their keys spares each
// check the caller's SHA-256 digest, the escaping of every segment, and a new string that the
// store's lookup would have to hash and compare character by character (the remembered one is
// the very string the store keeps, found by identity). Bounded, because callers come and go.

/**
 * Most keys `createRateLimiter` remembers (~150 bytes each, the key string included, which an
 * in-process store shares): 2.4 MB at most. More than a busy server has in use within a window;
 * past it, every check of a key no longer remembered pays the escaping and a lookup by content,
 * about three times the remembered check's cost in process.
 */
export const REMEMBERED_KEYS = 16_384;

/**
 * Most tool × caller pairs a tool limiter remembers (~800 bytes each with their three keys and
 * digests): 6.6 MB at most. A pair no longer remembered costs its caller's digest again.
 */
export const REMEMBERED_PAIRS = 8_192;

/** A Map that forgets its oldest entries past `REMEMBERED_KEYS` (what FIFO loses to LRU, a miss refills). */
class Memo<V> {
  readonly #map = new Map<string, V>();

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): V {
    rememberBounded(this.#map, key, value, REMEMBERED_KEYS);
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
 * Key lists of object callers with the same fields present: one map level per present field, by
 * its value, in the order `user`, `tenant`, `session`, `client`; the key list below the last.
 */
type ByValues = Map<string, unknown> | readonly string[];

/**
 * One tool's remembered key lists: by string caller; by object caller, first by which fields it
 * has (`objects[mask]`, a bit per field: a missing field costs no lookup), then by their values;
 * the anonymous caller's.
 */
interface ToolMemo {
  readonly strings: Map<string, readonly string[]>;
  readonly objects: (ByValues | undefined)[];
  anonymous?: readonly string[];
}

/**
 * The keys of a tool call, one per active rule in order, remembered per tool and caller. A string
 * caller is remembered by itself; an object caller by which fields it has, then by their values
 * (one map level per field present, so no new string is built to look it up, and a missing field
 * costs nothing), when it is a plain object with no field but `user`, `tenant`,
 * `session` and `client`, each a non-empty string or missing: all its digest depends on (see
 * `callerDigest`). Any other caller is digested on every call, as before, so that what it throws,
 * or how it is digested, never changes.
 */
export class ToolCallKeys {
  readonly #base: string;
  readonly #rules: readonly ToolRule[];
  readonly #tools = new Map<string, ToolMemo>();
  #remembered = 0;

  constructor(base: string, rules: readonly ToolRule[]) {
    this.#base = base;
    this.#rules = rules;
  }

  /** @throws {KeyError} for an empty tool name or caller (from `keySegment` / `callerDigest`). */
  of(tool: string, caller: Caller | undefined): readonly string[] {
    const memo = this.#tools.get(tool);
    if (caller === undefined) {
      return memo?.anonymous ?? this.#remember(tool, undefined, (m, keys) => (m.anonymous = keys));
    }
    if (typeof caller === "string") {
      return (
        memo?.strings.get(caller) ?? this.#remember(tool, caller, (m, keys) => m.strings.set(caller, keys))
      );
    }
    if (!hasOnlyCallerFields(caller)) return this.#build(tool, caller);
    const { user, tenant, session, client } = caller;
    if (!(isField(user) && isField(tenant) && isField(session) && isField(client))) {
      return this.#build(tool, caller);
    }
    const mask =
      (user === undefined ? 0 : 1) |
      (tenant === undefined ? 0 : 2) |
      (session === undefined ? 0 : 4) |
      (client === undefined ? 0 : 8);
    let found = memo?.objects[mask];
    if (user !== undefined) found = down(found, user);
    if (tenant !== undefined) found = down(found, tenant);
    if (session !== undefined) found = down(found, session);
    if (client !== undefined) found = down(found, client);
    if (found !== undefined) return found as readonly string[];
    // Digested from the values just read, so that what is remembered is what they give.
    return this.#remember(tool, { user, tenant, session, client }, (m, keys) => {
      const values = [user, tenant, session, client].filter((value) => value !== undefined);
      const last = values.pop() as string; // one at least: the digest refused a caller with none
      let map = m.objects[mask] as Map<string, unknown> | undefined;
      if (map === undefined) {
        map = new Map();
        m.objects[mask] = map;
      }
      for (const value of values) map = level(map, value);
      map.set(last, keys);
    });
  }

  #build(tool: string, caller: Caller | undefined): readonly string[] {
    const keys = toolCallKeys(this.#base, tool, caller);
    return Object.freeze(this.#rules.map((rule) => keys[rule]));
  }

  #remember(
    tool: string,
    caller: Caller | undefined,
    store: (memo: ToolMemo, keys: readonly string[]) => void,
  ): readonly string[] {
    const keys = this.#build(tool, caller); // throws for a bad tool or caller: nothing is remembered
    // Tool × caller pairs, counted as a whole: past the bound, start again from nothing (the
    // pairs in use come back at once; the others were costing memory for nothing).
    if (++this.#remembered > REMEMBERED_PAIRS) {
      this.#tools.clear();
      this.#remembered = 1;
    }
    let memo = this.#tools.get(tool);
    if (memo === undefined) {
      memo = { strings: new Map(), objects: [] };
      this.#tools.set(tool, memo);
    }
    store(memo, keys);
    return keys;
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
