/**
 * Why a call went around the cache:
 * - `policy`: the call asked for it (`bypass: true`);
 * - `no-scope`: the call needs a caller scope (`requireScope`) and had none — a miss is cheap, a leak is not;
 * - `unkeyable`: the arguments cannot be made into a key (too large, cyclic, functions);
 * - `error-result`: `fn` returned a result the `isError` predicate marks as an error;
 * - `too-large`: the encoded result is over `maxValueBytes`;
 * - `unencodable`: the codec refused the result.
 */
export type BypassReason = "policy" | "no-scope" | "unkeyable" | "error-result" | "too-large" | "unencodable";

/** Every bypass reason, in a stable order (for metrics and stats). */
export const BYPASS_REASONS: readonly BypassReason[] = [
  "policy",
  "no-scope",
  "unkeyable",
  "error-result",
  "too-large",
  "unencodable",
];

/** The store call that failed or timed out. `generation` is a read or bump of a generation counter. */
export type StoreOperation = "get" | "set" | "delete" | "generation";

/**
 * What the cache reports through `onEvent`. Events carry the tool label and `logId`, a short
 * non-reversible hash of the storage key (from `@mcp-persist/keys`), never the key itself.
 * `logId` is absent for the first few milliseconds while the hash loads, and on bypasses decided
 * before a key exists.
 */
export type CacheEvent =
  /**
   * Served without calling `fn`: from the in-process first tier (`tier: "l1"`, see
   * `createCache({ l1 })`) or from the store (`"l2"`).
   */
  | { type: "hit"; tool: string; logId?: string; tier: "l1" | "l2" }
  /** The store had no usable entry. */
  | { type: "miss"; tool: string; logId?: string }
  /** Served an expired value from the grace window, while revalidating or because `fn` failed. */
  | { type: "stale"; tool: string; logId?: string; reason: "revalidate" | "error" }
  /**
   * Shared the result of a call already running `fn` for the same key (single-flight): in this
   * process (`scope: "process"`), or in another one (`"fleet"`, with `singleFlight: "fleet"`).
   */
  | { type: "coalesced"; tool: string; logId?: string; scope: "process" | "fleet" }
  /** Went around the cache; see {@link BypassReason}. */
  | { type: "bypass"; tool: string; logId?: string; reason: BypassReason }
  /** Stored a result. */
  | { type: "set"; tool: string; logId?: string; ttlMs: number }
  /** A store call failed or timed out; the call went on without the cache. */
  | { type: "error"; tool: string; operation: StoreOperation; error: unknown }
  /** A background revalidation's `fn` threw; the stale value stays until its grace window ends. */
  | { type: "refresh-failed"; tool: string; logId?: string; error: unknown }
  /** Entries were invalidated. */
  | { type: "invalidate"; target: "key" | "tool" | "scope" | "namespace"; tool?: string };
