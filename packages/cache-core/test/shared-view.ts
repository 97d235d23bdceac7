import { type CacheEvent, type CacheOptions, createCache, type Store } from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { settle } from "./support";

/**
 * One process's view of a store shared by several (what a Redis store is to each process),
 * modelled on one in-process store: `shared: true`, no synchronous twins (so the cache reads
 * through promises, as on Redis), the store's own bus. Two caches, each on a view of one
 * `memoryStore`, behave as two processes on one Redis: each its own first tier, one keyspace,
 * one coherence channel.
 *
 * `down` makes every call of this view reject (its Redis is unreachable); `hold` keeps the next
 * reads of this view waiting until released (a reply still on the wire).
 */
export function sharedView(inner: Store) {
  let down = false;
  let gets = 0;
  let held: Promise<void> | undefined;
  const unreachable = () => Promise.reject(new Error("store unreachable (test)"));
  const store: Store = {
    name: `shared-${inner.name}`,
    capabilities: { shared: true, cluster: false },
    bus: inner.bus,
    async get(key) {
      gets++;
      if (down) return unreachable();
      // Read now, answer later: what a GET whose reply is slow to come back does.
      const value = await inner.get(key);
      if (held !== undefined) await held;
      return value;
    },
    set: (key, value, ttlMs) => (down ? unreachable() : inner.set(key, value, ttlMs)),
    delete: (key) => (down ? unreachable() : inner.delete(key)),
    run: (script, keys, args) => (down ? unreachable() : inner.run(script, keys, args)),
    ping: () => (down ? unreachable() : inner.ping()),
    close: () => Promise.resolve(),
  };
  return {
    store,
    /** GETs this view was asked for so far. */
    gets: () => gets,
    setDown(value: boolean) {
      down = value;
    },
    /** Reads from now on answer only once the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
  };
}

/**
 * `count` caches, each with its own first tier, on one store: `count` processes on one Redis.
 * Resolves once their coherence channels are listening (which clears the first tiers).
 */
export async function fleet(count: number, options: Partial<CacheOptions> = {}) {
  const clock = createManualClock();
  const shared = memoryStore({ clock });
  const made = {
    clock,
    shared,
    processes: Array.from({ length: count }, () => {
      const view = sharedView(shared);
      const events: CacheEvent[] = [];
      const cache = createCache({
        store: view.store,
        defaultTtlMs: 60_000,
        clock,
        l1: true,
        onEvent: (event) => events.push(event),
        ...options,
      });
      return { cache, view, events };
    }),
  };
  await settle();
  return made;
}
