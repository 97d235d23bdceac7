import type { ThrottledWarnings } from "@mcp-persist/cache-core/kit";

/** What to log when a finishing store call fails. */
export class QuietFailure {
  constructor(
    /** Throttled: a store that is down fails every call's release or commit the same way. */
    readonly warnings: ThrottledWarnings,
    /** The `event` field, snake_case, e.g. `lock_release_failed`. */
    readonly event: string,
    /** The store's name, for the `store` field. */
    readonly store: string,
    readonly message: string,
  ) {}
}

/**
 * Awaits a store call that finishes a run (release, commit, abandon) without letting it fail the
 * call: the function's value or error is what the caller wants, so a failure here is logged
 * (`err`: the error itself) and resolves `undefined`.
 */
export function finishQuietly<R>(call: Promise<R>, failure: QuietFailure): Promise<R | undefined> {
  // A handler on the call's own promise rather than an async function awaiting it: one promise
  // and one microtask fewer on every release.
  return call.then(undefined, (err: unknown) => {
    failure.warnings.warn(failure.event, { store: failure.store, err }, failure.message);
    return undefined;
  });
}
