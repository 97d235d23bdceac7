/**
 * What a capability does while its store is down: the store failed, or did not answer within
 * `storeTimeoutMs`. The same two words in every package and README:
 *
 * - `"proceed"`: the capability steps aside and the tool call goes on without it. The cache
 *   calls the function (always: a cache is an optimisation); the rate limiter allows the call
 *   (`reason: "degraded"`); the lock runs the function unlocked (`locked: false`).
 * - `"refuse"`: the capability refuses the call. The rate limiter denies it (`reason:
 *   "degraded"`); the lock rejects with `LockUnavailableError` and does not run the function.
 *
 * A capability with a fallback store (the rate limiter's `fallbackStore`) asks it first, and
 * applies its policy only when the fallback fails too.
 */
export type StoreOutagePolicy = "proceed" | "refuse";

/** Every policy, for validation and docs. */
export const STORE_OUTAGE_POLICIES: readonly StoreOutagePolicy[] = Object.freeze(["proceed", "refuse"]);
