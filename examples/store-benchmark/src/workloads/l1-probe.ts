import { setTimeout as sleep } from "node:timers/promises";
import { type Cache, createCache, type Store } from "@mcp-persist/cache-core";

/** `cache.stats().total.l1Hits`, where the cache-core build counts hits per tier. */
export function l1Hits(cache: Cache): number | undefined {
  const total = cache.stats().total as { l1Hits?: unknown };
  return typeof total.l1Hits === "number" ? total.l1Hits : undefined;
}

/** Longest wait for a store's coherence channel to be in place. */
const LISTENING_MS = 5_000;

/**
 * Resolves once the caches made on `store` so far have their coherence channel in place. A
 * Redis store subscribes every channel on one connection of its own, and Redis confirms
 * subscriptions in order: when a subscription made now is confirmed, those the caches made
 * before it are too (and each cache has emptied its first tier, as it does on every `listening`).
 * Before that, a first tier may serve but is emptied when the channel comes up, and misses the
 * other processes' messages. A store without a bus resolves at once.
 */
export async function untilListening(store: Store, namespace: string): Promise<void> {
  const bus = store.bus;
  if (bus === undefined) return;
  let listening!: () => void;
  const confirmed = new Promise<void>((resolve) => {
    listening = resolve;
  });
  const subscription = bus.subscribe(`${namespace}:bench-ready`, { message() {}, listening });
  try {
    const timeout = sleep(LISTENING_MS).then(() => {
      throw new Error(`the store's bus was not listening within ${LISTENING_MS / 1000} s`);
    });
    await Promise.race([confirmed, timeout]);
  } finally {
    await subscription.unsubscribe();
  }
}

/**
 * Whether this cache-core build honours `l1` on this store: a value stored, then read twice once
 * the coherence channel is in place, must be counted as a first-tier hit. Returns why not, or
 * undefined when it does. The two-tier lines (and the coherence workload) are listed as not
 * measured rather than run as one tier.
 */
export async function l1Unavailable(store: Store, namespace: string): Promise<string | undefined> {
  const cache = createCache({ store, namespace, defaultTtlMs: 60_000, l1: true });
  if (l1Hits(cache) === undefined) {
    return "not available yet: this @mcp-persist/cache-core build has no first tier (no l1Hits in cache.stats())";
  }
  try {
    await untilListening(store, namespace);
    for (let i = 0; i < 3; i++) await cache.wrap("l1-probe", () => ({ probe: true }));
  } catch (error) {
    return `the first-tier probe failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return (l1Hits(cache) ?? 0) > 0
    ? undefined
    : "not available yet: createCache({ l1: true }) served no hit from the first tier";
}
