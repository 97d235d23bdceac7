import type { Store } from "@mcp-persist/cache-core";
import { type LockOptions, withLock } from "../../src/index";
import type { HolderEvent } from "./overlap";

/** What a burst of concurrent callers did. */
export interface Contention {
  events: HolderEvent[];
  ran: number;
  busy: number;
}

/**
 * `calls` concurrent `withLock` calls on one resource; each holder records enter and leave
 * around a pause (during which a second holder, if the lock let one in, would record its enter).
 * `guard` replaces the lock for the detector's own negative control; `options` add to the callers' own.
 */
export async function contend(
  store: Store,
  namespace: string,
  calls: number,
  guard: typeof withLock = withLock,
  options: Pick<LockOptions, "storeTimeoutMs"> = {},
): Promise<Contention> {
  const events: HolderEvent[] = [];
  const outcomes = await Promise.all(
    Array.from({ length: calls }, (_, i) =>
      guard(
        store,
        "shared",
        async (lock) => {
          events.push({ type: "enter", token: lock.fencingToken, who: `call ${i}` });
          await new Promise((resolve) => setTimeout(resolve, 2));
          events.push({ type: "leave", token: lock.fencingToken, who: `call ${i}` });
        },
        { namespace, waitMs: 1500, retryBaseMs: 5, retryMaxMs: 40, ...options },
      ),
    ),
  );
  return {
    events,
    ran: outcomes.filter((o) => o.status === "ran").length,
    busy: outcomes.filter((o) => o.status === "busy").length,
  };
}
