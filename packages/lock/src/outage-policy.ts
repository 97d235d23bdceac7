import { InvalidOptionError, type StoreOutagePolicy } from "@mcp-persist/cache-core";
import { describeValue, STORE_OUTAGE_POLICIES, warnDeprecated } from "@mcp-persist/cache-core/kit";
import { PKG } from "./errors";

/**
 * @deprecated The values of the deprecated `onStoreError` option; use `onStoreDown`
 * (`StoreOutagePolicy`, `"refuse" | "proceed"`), where `"fail"` is `"refuse"`.
 */
export type StoreErrorPolicy = "fail" | "proceed";

/** What the old `onStoreError` values mean in the one outage vocabulary. */
const FROM_STORE_ERROR_POLICY: Readonly<Record<StoreErrorPolicy, StoreOutagePolicy>> = {
  fail: "refuse",
  proceed: "proceed",
};

/**
 * `onStoreDown`, or what the deprecated `onStoreError` said (one `DeprecationWarning` per process),
 * or `"refuse"`: a lock that runs its function unlocked is opted into, never a default.
 */
export function resolveOutagePolicy(onStoreDown: unknown, onStoreError: unknown): StoreOutagePolicy {
  if (onStoreError === undefined) return onStoreDown === undefined ? "refuse" : checkPolicy(onStoreDown);
  if (onStoreDown !== undefined) {
    throw new InvalidOptionError(
      PKG,
      `onStoreError is the deprecated name of onStoreDown: pass only onStoreDown ("refuse" or "proceed")`,
    );
  }
  warnDeprecated(
    PKG,
    "the onStoreError option",
    `onStoreDown: "refuse" | "proceed" ("fail" is now "refuse")`,
  );
  if (onStoreError !== "fail" && onStoreError !== "proceed") {
    throw new InvalidOptionError(
      PKG,
      `onStoreError (deprecated: use onStoreDown) must be "fail" or "proceed", got ${describeValue(onStoreError)}`,
    );
  }
  return FROM_STORE_ERROR_POLICY[onStoreError];
}

function checkPolicy(value: unknown): StoreOutagePolicy {
  if (!STORE_OUTAGE_POLICIES.includes(value as StoreOutagePolicy)) {
    throw new InvalidOptionError(
      PKG,
      `onStoreDown must be "refuse" (reject with LockUnavailableError) or "proceed" (run the function unlocked), got ${describeValue(value)}`,
    );
  }
  return value as StoreOutagePolicy;
}
