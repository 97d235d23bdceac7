import { describeValue } from "@mcp-persist/keys";
import type { BusListener, BusSubscription } from "./bus";
import { InvalidOptionError } from "./errors";

/**
 * One `subscribe` call. Its `listening` flag follows what its bus knows of the channel: set when
 * the subscription is in place, cleared when its connection drops or it ends.
 */
class ChannelSubscription implements BusSubscription {
  listening = false;
  active = true;
  readonly channel: string;
  readonly listener: BusListener;
  readonly #owner: BusChannels;

  constructor(owner: BusChannels, channel: string, listener: BusListener) {
    this.#owner = owner;
    this.channel = channel;
    this.listener = listener;
  }

  unsubscribe(): Promise<void> {
    return this.#owner.remove(this);
  }
}

/** Calls one of a listener's methods; whatever it throws is dropped (see `BusListener`). */
function tell(listener: BusListener, method: "listening" | "interrupted"): void {
  try {
    listener[method]?.();
  } catch {
    // A listener's failure is its own: the bus and the other listeners go on.
  }
}

/**
 * Whether a string is well-formed Unicode (no lone surrogate): Redis carries UTF-8, where a lone
 * surrogate arrives as U+FFFD, so a channel would not match and a message would change on the way.
 * (`String.prototype.isWellFormed` is in Node 20, not yet in the ES2023 lib this compiles against.)
 */
const wellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Every store refuses the same channels, so an application moving from the in-process store to
 * Redis meets the refusal at once, not as messages silently lost.
 * @throws {InvalidOptionError} unless `channel` is a non-empty, well-formed string.
 */
export function assertChannel(pkg: string, operation: string, channel: unknown): asserts channel is string {
  if (typeof channel !== "string" || channel === "" || !wellFormed(channel)) {
    throw new InvalidOptionError(
      pkg,
      `${operation}() takes a non-empty channel name of well-formed Unicode (no lone surrogate), got ${describeValue(channel)}`,
    );
  }
}

/** @throws {InvalidOptionError} unless `message` is a well-formed string (encode it first). */
export function assertMessage(pkg: string, message: unknown): asserts message is string {
  if (typeof message !== "string" || !wellFormed(message)) {
    throw new InvalidOptionError(
      pkg,
      `publish() takes a string message of well-formed Unicode (encode it first: JSON.stringify escapes lone surrogates), got ${describeValue(message)}`,
    );
  }
}

/**
 * The subscriptions of one store's bus, by channel, and their delivery: written once for the
 * in-process bus and the Redis one. Each listener is called on its own, so one that throws never
 * stops the others. `onEmpty` is told when a channel's last subscription ends (the Redis bus
 * unsubscribes its connection then).
 */
export class BusChannels {
  readonly #channels = new Map<string, Set<ChannelSubscription>>();
  readonly #pkg: string;
  readonly #onEmpty: (channel: string) => Promise<void>;

  /** @param pkg the store's package, named in errors. */
  constructor(pkg: string, onEmpty: (channel: string) => Promise<void> = async () => {}) {
    this.#pkg = pkg;
    this.#onEmpty = onEmpty;
  }

  /** Adds a subscription (not yet listening); `created` says whether the channel is new. */
  add(channel: string, listener: BusListener): { subscription: ChannelSubscription; created: boolean } {
    assertChannel(this.#pkg, "subscribe", channel);
    if (listener === null || typeof listener !== "object" || typeof listener.message !== "function") {
      throw new InvalidOptionError(
        this.#pkg,
        "subscribe() takes a listener object with a message(message) method",
      );
    }
    let set = this.#channels.get(channel);
    const created = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#channels.set(channel, set);
    }
    const subscription = new ChannelSubscription(this, channel, listener);
    set.add(subscription);
    return { subscription, created };
  }

  /** Ends one subscription; idempotent. */
  remove(subscription: ChannelSubscription): Promise<void> {
    if (!subscription.active) return Promise.resolve();
    subscription.active = false;
    subscription.listening = false;
    const set = this.#channels.get(subscription.channel);
    if (set === undefined || !set.delete(subscription) || set.size > 0) return Promise.resolve();
    this.#channels.delete(subscription.channel);
    // Never rejects: unsubscribing is best effort (a dropped connection unsubscribes everything).
    return this.#onEmpty(subscription.channel).catch(() => {});
  }

  /** The channels that have subscriptions now. */
  channels(): string[] {
    return [...this.#channels.keys()];
  }

  has(channel: string): boolean {
    return this.#channels.has(channel);
  }

  /** One message to every subscription of `channel`, each listener on its own. */
  deliver(channel: string, message: string): void {
    const set = this.#channels.get(channel);
    if (set === undefined) return;
    for (const subscription of [...set]) {
      // Unsubscribed by an earlier listener of this very message: it asked to hear no more.
      if (!subscription.active) continue;
      try {
        subscription.listener.message(message);
      } catch {
        // See tell().
      }
    }
  }

  /** `channel`'s subscription is in place: tells each subscription of it that was not listening. */
  listening(channel: string): void {
    const set = this.#channels.get(channel);
    if (set === undefined) return;
    for (const subscription of [...set]) this.#markListening(subscription);
  }

  /** Tells one subscription that it is listening, if it is still active and was not already. */
  #markListening(subscription: ChannelSubscription): void {
    if (!subscription.active || subscription.listening) return;
    subscription.listening = true;
    tell(subscription.listener, "listening");
  }

  /** One subscription is in place (the channel already was): tells it, if still active. */
  listeningOne(subscription: ChannelSubscription): void {
    this.#markListening(subscription);
  }

  /** The connection dropped: every subscription that was listening is told it is not. */
  interrupted(): void {
    for (const set of this.#channels.values()) {
      for (const subscription of [...set]) {
        if (!subscription.listening) continue;
        subscription.listening = false;
        tell(subscription.listener, "interrupted");
      }
    }
  }

  /** The store closed: every subscription ends, silently (closing is not an interruption). */
  clear(): void {
    for (const set of this.#channels.values()) {
      for (const subscription of set) {
        subscription.active = false;
        subscription.listening = false;
      }
    }
    this.#channels.clear();
  }
}

export type { ChannelSubscription };
