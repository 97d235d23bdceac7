import { McpPersistError } from "@mcp-persist/cache-core";
import { describeValue } from "@mcp-persist/cache-core/kit";

export const PKG = "@mcp-persist/lock";

/**
 * The store failed, or did not answer within `storeTimeoutMs`, while a lock was being acquired,
 * and `onStoreDown` is `"refuse"` (the default): the function did not run. `cause` holds the
 * store's error. Code `ERR_LOCK_UNAVAILABLE`.
 */
export class LockUnavailableError extends McpPersistError {
  /** The resource (or `once` key) whose lock could not be taken. */
  readonly resource: string;

  constructor(resource: string, storeName: string, cause: unknown) {
    super(
      "ERR_LOCK_UNAVAILABLE",
      PKG,
      `could not acquire the lock on ${JSON.stringify(resource)}: store "${storeName}" failed (${reasonOf(cause)}), so the call did not run; retry once the store is back, or set onStoreDown: "proceed" to run without the lock`,
      { cause },
    );
    this.resource = resource;
  }
}

/**
 * The reason the `signal` handed to the locked function fires when the lease can no longer be
 * confirmed (the lock was taken over, or extensions kept failing): past this point another
 * holder may acquire the lock. Code `ERR_LOCK_LOST`.
 */
export class LockLostError extends McpPersistError {
  /** The resource (or `once` key) whose lease was lost. */
  readonly resource: string;

  constructor(resource: string, why: string, options?: ErrorOptions) {
    super(
      "ERR_LOCK_LOST",
      PKG,
      `lost the lock on ${JSON.stringify(resource)} (${why}); stop the work, another holder may start it now — use the fencing token to reject stale writes downstream`,
      options,
    );
    this.resource = resource;
  }
}

/** A store error, for a message; never throws (a store may reject with anything). */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : describeValue(error);
}
