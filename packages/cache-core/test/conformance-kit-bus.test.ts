import type { BusListener, Store, StoreBus } from "@mcp-persist/cache-core";
import { type ConformanceOptions, memoryStore, storeConformance } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";

// The kit's bus section passes on the reference store (conformance-kit.test.ts runs it whole),
// and fails on buses that break the contract: a kit that cannot fail would prove nothing.

type Registered = { name: string; fn: () => Promise<void> };

const wellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();
const refused = () => Object.assign(new Error("lone surrogate"), { code: "ERR_INVALID_OPTION" });

/** The names of the bus tests that fail on stores from `makeStore`. */
async function busFailures(makeStore: () => Store, options: ConformanceOptions = {}): Promise<string[]> {
  const registered: Registered[] = [];
  storeConformance((name, fn) => registered.push({ name, fn }), makeStore, {}, options);
  const failed: string[] = [];
  for (const { name, fn } of registered) {
    if (!name.includes("bus")) continue;
    try {
      await fn();
    } catch {
      failed.push(name.replace("store conformance: bus: ", ""));
    }
  }
  return failed;
}

interface Flaws {
  /** Calls listeners inside publish(). */
  synchronous?: boolean;
  /** unsubscribe() does nothing. */
  deaf?: boolean;
  /** One throwing listener stops delivery to the rest. */
  fragile?: boolean;
  /** Takes lone surrogates (which Redis would turn into U+FFFD). */
  lossy?: boolean;
  /** Keeps publishing after close(). */
  undying?: boolean;
  /** Delivers each publisher's messages in reverse pairs (a race on a pool of connections). */
  reordering?: boolean;
}

/** A reference store with a hand-written bus that has the given flaws. */
function withBus(flaws: Flaws): () => Store {
  return () => {
    const inner = memoryStore();
    let closed = false;
    const subscribers = new Map<string, Set<BusListener>>();
    let held: (() => void) | undefined;
    const deliver = (channel: string, message: string) => {
      const listeners = [...(subscribers.get(channel) ?? [])];
      if (flaws.fragile) {
        try {
          // The first listener that throws ends this message's delivery.
          for (const listener of listeners) listener.message(message);
        } catch {}
        return;
      }
      for (const listener of listeners) {
        try {
          listener.message(message);
        } catch {}
      }
    };
    const bus: StoreBus = {
      async publish(channel, message) {
        if (closed && !flaws.undying) throw Object.assign(new Error("closed"), { code: "ERR_STORE_CLOSED" });
        if (!flaws.lossy && (!wellFormed(channel) || !wellFormed(message))) throw refused();
        const send = () => deliver(channel, message);
        if (flaws.synchronous) return send();
        if (flaws.reordering) {
          if (held === undefined) {
            held = send;
            setTimeout(() => {
              held?.();
              held = undefined;
            }, 5);
            return;
          }
          queueMicrotask(send);
          return;
        }
        queueMicrotask(send);
      },
      subscribe(channel, listener) {
        if (closed && !flaws.undying) throw Object.assign(new Error("closed"), { code: "ERR_STORE_CLOSED" });
        if (!flaws.lossy && !wellFormed(channel)) throw refused();
        const set = subscribers.get(channel) ?? new Set();
        subscribers.set(channel, set);
        set.add(listener);
        let active = true;
        queueMicrotask(() => {
          try {
            listener.listening?.();
          } catch {}
        });
        return {
          get listening() {
            return active && (!closed || flaws.undying === true);
          },
          async unsubscribe() {
            if (flaws.deaf) return;
            active = false;
            set.delete(listener);
          },
        };
      },
    };
    return {
      ...inner,
      bus,
      close: async () => {
        closed = true;
        await inner.close();
      },
    };
  };
}

describe("the conformance kit's bus section", () => {
  it("passes a hand-written bus without flaws (the baseline for the cases below)", async () => {
    expect(await busFailures(withBus({}))).toEqual([]);
  });

  it("fails a bus that calls listeners inside publish()", async () => {
    expect(await busFailures(withBus({ synchronous: true }))).toContain(
      "a subscriber is told it listens, then hears every message of its store, in order, never inside publish()",
    );
  });

  it("fails a bus that mixes up one publisher's order", async () => {
    expect(await busFailures(withBus({ reordering: true }))).toContain(
      "a subscriber is told it listens, then hears every message of its store, in order, never inside publish()",
    );
  });

  it("fails a bus whose unsubscribe() does nothing", async () => {
    expect(await busFailures(withBus({ deaf: true }))).toContain(
      "unsubscribe stops delivery at once, is idempotent, and a later subscribe listens again",
    );
  });

  it("fails a bus where a throwing listener stops the others", async () => {
    expect(await busFailures(withBus({ fragile: true }))).toContain(
      "a listener that throws does not stop the others, nor its own next messages",
    );
  });

  it("fails a bus that goes on after close()", async () => {
    expect(await busFailures(withBus({ undying: true }))).toContain(
      "after close(), publish rejects and subscribe throws ERR_STORE_CLOSED; subscriptions end, unsubscribe resolves",
    );
  });

  it("fails a bus that takes lone surrogates", async () => {
    expect(await busFailures(withBus({ lossy: true }))).toEqual([
      "refuses a lone surrogate in a channel or a message (Redis would turn it into U+FFFD), as ERR_INVALID_OPTION",
    ]);
  });

  it("fails a store without a bus, unless told `bus: false`, and then fails one that has a bus", async () => {
    const busless = () => ({ ...memoryStore(), bus: undefined });
    expect(await busFailures(busless)).toHaveLength(6);
    expect(await busFailures(busless, { bus: false })).toEqual([]);
    expect(await busFailures(() => memoryStore(), { bus: false })).toEqual([
      "a store tested without a bus has none",
    ]);
  });
});
