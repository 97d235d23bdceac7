import { warnDeprecated } from "@mcp-persist/internal";
import { type Caller, callerDigest, keySegment, toolKey, toolPrefix } from "@mcp-persist/keys";
import { REMEMBERED_CALLERS, rememberBounded } from "./bounded-map";
import { InvalidOptionError } from "./errors";
import { copyJson, hashedUnits, plainJsonHash, sameJson } from "./json-identity";
import { Counters } from "./stats";
import type { Labelled } from "./telemetry";
import type { ToolDefaults } from "./tool-policy";

/**
 * A tool call: the cache keys it (with `toolKey` from `@mcp-persist/keys`), and the rate limiter
 * counts its `tool` and `caller`, so one object can go to both.
 */
export interface ToolCall {
  /** The MCP tool name; also the label for stats, metrics and `invalidateTool`. */
  tool: string;
  /** The tool's arguments; their canonical form is hashed, so key order never matters. */
  args: unknown;
  /**
   * Who is calling, for tools whose result depends on the caller (e.g. `mcpCaller(extra)`): results
   * are kept apart per caller and can be invalidated per caller (`invalidateCaller`). Keys hold
   * only its digest. Omit only for results that are the same for everyone.
   */
  caller?: Caller | undefined;
  /**
   * @deprecated Renamed `caller` (same value, same key: entries cached under `scope` keep
   * hitting). Still honoured, with a one-time DeprecationWarning, until the next major.
   */
  scope?: Caller | undefined;
  /** Bump when the tool's result shape or behaviour changes: old entries are never read again. @default "v1" */
  version?: string;
}

const PKG = "@mcp-persist/cache-core";

/**
 * The call's caller: `caller`, or its deprecated name `scope`. Both at once is refused rather than
 * ranked: two identities for one call is a bug that could key one user's result for another.
 * @throws {InvalidOptionError} when both are given.
 */
export function callerOf(call: ToolCall): Caller | undefined {
  if (call.scope === undefined) return call.caller;
  if (call.caller !== undefined) {
    throw new InvalidOptionError(
      PKG,
      "a tool call takes caller or its deprecated name scope, not both: pass { tool, args, caller } only",
    );
  }
  warnDeprecated(PKG, "{ tool, args, scope }", "{ tool, args, caller }");
  return call.scope;
}

/** A string (used as given, in the cache's namespace) or a tool call. */
export type CacheKey = string | ToolCall;

/** Where a call's entry lives, and the generation keys that can invalidate it. */
export interface ResolvedKey {
  readonly key: string;
  /** Namespace generation, then the tool's (if labelled), then the caller's (if any). */
  readonly genKeys: readonly string[];
}

/** A resolved tool call remembered with copies of what identifies it. */
interface MemoEntry extends ResolvedKey {
  readonly args: unknown;
  readonly caller: Caller | undefined;
  readonly version: string | undefined;
  /** The size of those copies, in `plainJsonHash`'s units (about characters). */
  readonly units: number;
}

/** Per-tool state, made once per tool label. */
export interface ToolState extends Labelled, ToolDefaults {
  /** Generation keys every entry of this tool depends on: the namespace's, then the tool's. */
  readonly genKeys: readonly string[];
  /** Why this tool's name cannot be part of a key (e.g. it is empty): its calls bypass. */
  readonly keyError: unknown;
  /** Resolved calls by the structural hash of their arguments, caller and version. */
  readonly memo: Map<number, MemoEntry>;
  /** The total `units` of the memo's entries, against `MAX_MEMO_UNITS_PER_TOOL`. */
  memoUnits: number;
}

/** The label of string keys wrapped without a `tool` option. */
export const UNLABELLED = "_";

// Bounds for the memos: they follow arguments and callers, so they must not grow forever. A tool's
// resolved calls: one per caller at least, so as many as callers are remembered, and at most
// 4 Mi units of copied arguments (~8 MB: each call's are up to 4096 units, plus its caller's).
const MAX_MEMO_PER_TOOL = REMEMBERED_CALLERS;
const MAX_MEMO_UNITS_PER_TOOL = 4 * 1024 * 1024;

export interface KeyLayoutOptions {
  namespace: string;
  hashTag: boolean;
  digestBytes: number | undefined;
  maxArgsLength: number | undefined;
}

/**
 * Where things live in the store. Tool calls use `toolKey` (`mcp:search_docs:v1:<caller>:<args>`);
 * the cache's own keys use segments `toolKey` never produces (`~k` and `~g` have 3 segments after
 * the namespace, tool keys 4), so nothing can collide:
 *
 * - `mcp:~k:<key>`: a string key;
 * - `mcp:~g:ns`, `mcp:~g:t:<tool>`, `mcp:~g:s:<caller digest>`: generation counters (the `s`
 *   dates from when the caller was called `scope`; deployed counters must keep their keys).
 */
export class KeyLayout {
  readonly namespaceGenKey: string;
  readonly #options: KeyLayoutOptions;
  readonly #prefix: string;
  readonly #tools = new Map<string, ToolState>();
  readonly #strings = new Map<string, string>();
  readonly #callerGenKeys = new Map<string, string>();
  readonly #defaults: (tool: string | undefined) => ToolDefaults;

  /** @param defaults a tool's policy defaults, asked once per tool label. */
  constructor(options: KeyLayoutOptions, defaults: (tool: string | undefined) => ToolDefaults) {
    this.#options = options;
    this.#defaults = defaults;
    this.#prefix = toolPrefix({ namespace: options.namespace });
    this.namespaceGenKey = `${this.#prefix}~g:ns`;
  }

  /** Every tool state made so far, for stats. */
  get tools(): ReadonlyMap<string, ToolState> {
    return this.#tools;
  }

  /** The state of a tool label; never throws (a name that cannot be keyed gets a `keyError`). */
  tool(name: string | undefined): ToolState {
    const label = name ?? UNLABELLED;
    let state = this.#tools.get(label);
    if (state === undefined) {
      let genKeys: readonly string[] = [this.namespaceGenKey];
      let keyError: unknown;
      try {
        if (name !== undefined) genKeys = [this.namespaceGenKey, this.toolGenKey(name)];
      } catch (error) {
        keyError = error;
      }
      const { policy, requireCaller } = this.#defaults(name);
      state = {
        name: label,
        counters: new Counters(),
        genKeys,
        keyError,
        memo: new Map(),
        memoUnits: 0,
        policy,
        requireCaller,
      };
      this.#tools.set(label, state);
    }
    return state;
  }

  /**
   * Where a `wrap` key lives, and what can invalidate it.
   * @throws whatever makes the key impossible to build (a `KeyError` from `@mcp-persist/keys`).
   */
  resolve(key: CacheKey, tool: ToolState): ResolvedKey {
    if (tool.keyError !== undefined) throw tool.keyError;
    return typeof key === "string"
      ? { key: this.stringKey(key), genKeys: tool.genKeys }
      : this.callKey(key, tool);
  }

  /** @throws {KeyError} for an empty key. */
  stringKey(key: string): string {
    let storageKey = this.#strings.get(key);
    if (storageKey === undefined) {
      storageKey = `${this.#prefix}~k:${keySegment(key)}`;
      rememberBounded(this.#strings, key, storageKey, REMEMBERED_CALLERS);
    }
    return storageKey;
  }

  /**
   * Resolves a tool call. Repeated calls (the cache-hit case) skip canonicalising and hashing:
   * a call whose arguments (and caller) are plain JSON is found by a structural hash and
   * confirmed by deep comparison with a copy, in a memo of earlier resolutions.
   * @throws {KeyError} when the call cannot be keyed.
   * @throws {InvalidOptionError} for a call with both `caller` and `scope`.
   */
  callKey(call: ToolCall, tool: ToolState): ResolvedKey {
    const caller = callerOf(call);
    let hash = plainJsonHash(call.args);
    let units = hashedUnits();
    if (hash !== undefined && caller !== undefined) {
      hash = plainJsonHash(caller, hash);
      units += hashedUnits();
    }
    if (hash !== undefined && call.version !== undefined) hash = plainJsonHash(call.version, hash);
    if (hash === undefined) return this.#resolve(call, caller, tool);
    const known = tool.memo.get(hash);
    if (
      known !== undefined &&
      known.version === call.version &&
      sameJson(known.caller, caller) &&
      sameJson(known.args, call.args)
    ) {
      return known;
    }
    const resolved = this.#resolve(call, caller, tool);
    // A literal, not `{ ...resolved, args }`: V8 gives a spread object that then gains members a
    // slow layout, and every hit reads these fields.
    const entry: MemoEntry = {
      key: resolved.key,
      genKeys: resolved.genKeys,
      args: copyJson(call.args),
      caller: copyJson(caller),
      version: call.version,
      units,
    };
    remember(tool, hash, entry);
    return entry;
  }

  toolGenKey(tool: string): string {
    return `${this.#prefix}~g:t:${keySegment(tool)}`;
  }

  /** @throws {KeyError} for an invalid caller. */
  callerGenKey(caller: Caller): string {
    const callerId = memoCallerId(caller);
    let key = callerId === undefined ? undefined : this.#callerGenKeys.get(callerId);
    if (key === undefined) {
      key = `${this.#prefix}~g:s:${callerDigest(caller)}`;
      if (callerId !== undefined) rememberBounded(this.#callerGenKeys, callerId, key, REMEMBERED_CALLERS);
    }
    return key;
  }

  #resolve(call: ToolCall, caller: Caller | undefined, tool: ToolState): ResolvedKey {
    const { namespace, hashTag, digestBytes, maxArgsLength } = this.#options;
    const key = toolKey({
      namespace,
      tool: call.tool,
      version: call.version,
      caller,
      args: call.args,
      hashTag,
      digestBytes,
      maxArgsLength,
    });
    return {
      key,
      genKeys: caller === undefined ? tool.genKeys : [...tool.genKeys, this.callerGenKey(caller)],
    };
  }
}

/**
 * Remembers `entry` in `tool`'s memo under `hash`. Past either bound (entries, units), the oldest
 * go first, an eighth of each bound at a time, as `rememberBounded` drops them and for its reason.
 */
function remember(tool: ToolState, hash: number, entry: MemoEntry): void {
  const memo = tool.memo;
  const replaced = memo.get(hash); // another call with the same structural hash: it goes
  if (replaced !== undefined) {
    memo.delete(hash);
    tool.memoUnits -= replaced.units;
  }
  if (memo.size >= MAX_MEMO_PER_TOOL || tool.memoUnits + entry.units > MAX_MEMO_UNITS_PER_TOOL) {
    const size = MAX_MEMO_PER_TOOL - (MAX_MEMO_PER_TOOL >> 3);
    const units = MAX_MEMO_UNITS_PER_TOOL - (MAX_MEMO_UNITS_PER_TOOL >> 3) - entry.units;
    for (const [oldest, old] of memo) {
      if (memo.size < size && tool.memoUnits <= units) break;
      memo.delete(oldest);
      tool.memoUnits -= old.units;
    }
  }
  memo.set(hash, entry);
  tool.memoUnits += entry.units;
}

/**
 * A memo key for a caller, exact for strings and for plain objects whose members are all
 * strings; `undefined` (do not memoise) for anything else.
 */
function memoCallerId(caller: Caller): string | undefined {
  if (typeof caller === "string") return `s${caller}`;
  if (typeof caller !== "object" || caller === null || Object.getPrototypeOf(caller) !== Object.prototype)
    return undefined;
  for (const key in caller) {
    const value: unknown = (caller as Record<string, unknown>)[key];
    if (typeof value !== "string" && value !== undefined) return undefined;
  }
  return `o${JSON.stringify(caller)}`;
}
