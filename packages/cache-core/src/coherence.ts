import { randomUUID } from "node:crypto";
import { keySegment } from "@mcp-persist/keys";
import type { BusSubscription, StoreBus } from "./bus";

/** What the other processes' messages mean to this cache. */
export interface CoherenceHandlers {
  /**
   * Another process deleted this entry (or gave up its lease on it), or wrote it: then `written`
   * is the head of the envelope it wrote (see {@link envelopeHead}), and a copy of that very
   * write may stay.
   */
  entry(key: string, written: string | undefined): void;
  /** Another process moved this generation forward. */
  generation(key: string): void;
  /** Listening (again): messages may have been missed meanwhile. */
  reset(): void;
  /** Publishing or subscribing failed: logged, throttled. */
  failed(operation: "publish" | "subscribe", error: unknown): void;
}

/** Message kinds: `k` an entry key, `w` an entry written, `g` a generation key. */
type Kind = "k" | "w" | "g";

/**
 * The coherence channel of a cache namespace (not prefixed by a client keyPrefix: see StoreBus).
 * The namespace is escaped as in keys, so any namespace (a lone surrogate included) names a
 * channel Redis carries intact, and no namespace can forge another's channel.
 */
export function coherenceChannel(namespace: string): string {
  return `mcp-persist:${keySegment(namespace)}:cache`;
}

/** Ends the subscription of a {@link Coherence} that was garbage-collected (its cache was). */
const unsubscribeWhenCollected = new FinalizationRegistry<BusSubscription>((subscription) => {
  subscription.unsubscribe().catch(() => {});
});

/**
 * The cache's messages to the other processes on its store: `<sender>|<kind>|<key>`, and for an
 * entry written `<sender>|w|<envelope head>\n<key>` (a head never holds a newline). The sender
 * id tells this cache's own messages apart (the bus delivers them here too); keys are storage
 * keys, which never hold a caller's identity in clear (only its digest).
 */
export class Coherence {
  /** This cache instance: a process may hold several caches on one store. */
  readonly id = randomUUID().slice(0, 13);
  readonly #bus: StoreBus;
  readonly #channel: string;
  readonly #handlers: CoherenceHandlers;
  readonly #subscription: BusSubscription | undefined;
  /** Resolves {@link listened}. */
  readonly #heard: () => void;
  /** Resolves the first time the channel listens: see {@link Coherence.listened}. */
  readonly listened: Promise<void>;

  constructor(bus: StoreBus, namespace: string, handlers: CoherenceHandlers) {
    this.#bus = bus;
    this.#channel = coherenceChannel(namespace);
    this.#handlers = handlers;
    let heard: () => void = () => {};
    this.listened = new Promise<void>((resolve) => (heard = resolve));
    this.#heard = heard;
    const prefix = `${this.id}|`;
    // The bus holds its listeners for as long as the store is open; a cache nobody holds any more
    // must not live on through it (a cache per request would keep every one, first tier and all).
    // So the listener reaches this instance weakly, and the subscription ends once it is gone.
    const self = new WeakRef<Coherence>(this);
    let subscription: BusSubscription | undefined;
    try {
      subscription = bus.subscribe(this.#channel, {
        message: (message) => {
          if (message.startsWith(prefix)) return; // our own
          const coherence = self.deref();
          if (coherence === undefined) void subscription?.unsubscribe();
          else coherence.#receive(message);
        },
        listening: () => {
          const coherence = self.deref();
          if (coherence === undefined) return void subscription?.unsubscribe();
          coherence.#handlers.reset();
          coherence.#heard();
        },
      });
      unsubscribeWhenCollected.register(this, subscription);
    } catch (error) {
      handlers.failed("subscribe", error);
    }
    this.#subscription = subscription;
  }

  /** Another cache's message: `<sender>|<kind>|<key>`. */
  #receive(message: string): void {
    const handlers = this.#handlers;
    const bar = message.indexOf("|");
    if (bar < 0) return;
    const kind = message.charAt(bar + 1);
    const key = message.slice(bar + 3);
    if (message.charAt(bar + 2) !== "|" || key.length === 0) return;
    if (kind === "k") handlers.entry(key, undefined);
    else if (kind === "g") handlers.generation(key);
    else if (kind === "w") {
      const newline = key.indexOf("\n");
      if (newline > 0) handlers.entry(key.slice(newline + 1), key.slice(0, newline));
    }
  }

  /** Whether other processes' messages reach this cache right now. */
  get listening(): boolean {
    return this.#subscription?.listening === true;
  }

  /** Tells the others an entry was deleted (or may have been written). Never rejects. */
  entryChanged(key: string): Promise<void> {
    return this.#publish("k", key);
  }

  /** Tells the others an entry was written, `head` naming the write. Never rejects. */
  entryWritten(key: string, head: string): Promise<void> {
    return this.#publish("w", `${head}\n${key}`);
  }

  /** Tells the others a generation moved forward. Never rejects. */
  generationBumped(key: string): Promise<void> {
    return this.#publish("g", key);
  }

  async #publish(kind: Kind, key: string): Promise<void> {
    try {
      await this.#bus.publish(this.#channel, `${this.id}|${kind}|${key}`);
    } catch (error) {
      this.#handlers.failed("publish", error);
    }
  }
}
