import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  type BusSubscription,
  type Cache,
  type CacheOptions,
  createCache,
  type Store,
} from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { envelopeHead, writeEnvelope } from "../src/envelope";
import { L1Tier } from "../src/l1-tier";
import { fleet, sharedView } from "./shared-view";
import { settle } from "./support";

const call = (id: number) => ({ tool: "search", args: { id } });

describe("first tier: drops that follow one another", () => {
  it("refuses what a read brings back from before a delete, though a rewrite with the same head followed", async () => {
    // jitter 0 (the default) and one millisecond: the rewrite's head (freshUntil, generations)
    // is the deleted write's head, and only its payload differs.
    const {
      processes: [a, b],
    } = await fleet(2);
    if (a === undefined || b === undefined) throw new Error("no process");
    await a.cache.wrap(call(1), async () => "old");
    await settle();
    const release = b.view.hold(); // b's GET reads "old" now, and answers later
    const reading = b.cache.wrap(call(1), async () => "never");
    await settle();
    await a.cache.delete(call(1));
    expect(await a.cache.wrap(call(1), async () => "new")).toBe("new");
    await settle(); // both messages reached b before its read answered
    release();
    expect(await reading).toBe("old"); // it started before the delete: fine to answer
    // …but not kept: the store holds "new".
    expect(await b.cache.wrap(call(1), async () => "never")).toBe("new");
  });

  it("L1Tier: a write named after a drop does not let through what the drop refused", () => {
    const l1 = new L1Tier({ maxEntries: 100, ttlMs: 1000 });
    const older = writeEnvelope(5000, "1", "j1");
    const newer = writeEnvelope(5000, "1", "j2"); // same head, another payload
    const other = writeEnvelope(5001, "1", "j3");
    const ticket = l1.ticket();
    l1.drop("a"); // deleted…
    l1.drop("a", envelopeHead(newer)); // …then written again
    l1.admit("a", older, 5000, 0, ticket);
    expect(l1.get("a", 0)).toBeUndefined();
    // Two writes named one after the other (messages of two processes): a read from before both
    // may bring either, and only the store knows which is last.
    const before = l1.ticket();
    l1.drop("b", envelopeHead(other));
    l1.drop("b", envelopeHead(older));
    l1.admit("b", older, 5000, 0, before);
    expect(l1.get("b", 0)).toBeUndefined();
    // Still: a read across only the drops naming the write it brings keeps it.
    const since = l1.ticket();
    l1.drop("c", envelopeHead(older));
    l1.drop("c", envelopeHead(older));
    l1.admit("c", older, 5000, 0, since);
    expect(l1.get("c", 0)).toBe(older);
  });
});

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects garbage until `done` holds (finalizers run between collections), at most 20 times. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
}

describe("a cache nobody holds any more", () => {
  it("is collected, and its coherence subscription ends", async () => {
    const shared = memoryStore();
    const view = sharedView(shared);
    const inner = shared.bus;
    if (inner === undefined) throw new Error("no bus");
    let live = 0;
    const store: Store = {
      ...view.store,
      bus: {
        publish: (channel, message) => inner.publish(channel, message),
        subscribe(channel, listener): BusSubscription {
          const subscription = inner.subscribe(channel, listener);
          live++;
          let ended = false;
          return {
            get listening() {
              return subscription.listening;
            },
            unsubscribe() {
              if (!ended) live--;
              ended = true;
              return subscription.unsubscribe();
            },
          };
        },
      },
    };
    // A cache per request, say: each with its first tier, soon garbage. (Made in a function of
    // its own, so no register of this one's frame still holds the last.)
    const used = async (i: number): Promise<WeakRef<Cache>> => {
      const cache = createCache({ store, defaultTtlMs: 60_000, l1: true });
      await cache.ready();
      await cache.wrap(`k${i}`, async () => "x".repeat(1000));
      return new WeakRef(cache);
    };
    const refs: WeakRef<Cache>[] = [];
    for (let i = 0; i < 50; i++) refs.push(await used(i));
    expect(live).toBe(50);
    // One that lives on still hears the others.
    const kept = createCache({ store, defaultTtlMs: 60_000, l1: true });
    await kept.ready();
    await collectUntil(() => live === 1 && refs.every((ref) => ref.deref() === undefined));
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(live).toBe(1);
    await kept.wrap("k", async () => "v1");
    const other = createCache({ store, defaultTtlMs: 60_000, l1: true });
    await other.ready();
    await other.delete("k");
    await settle();
    expect(await kept.wrap("k", async () => "v2")).toBe("v2");
  });
});
