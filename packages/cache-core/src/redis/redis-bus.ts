import type { BusListener, BusSubscription, StoreBus } from "../bus";
import { assertChannel, assertMessage, BusChannels } from "../bus-channels";
import { StoreClosedError } from "../errors";
import type { RedisClientAdapter, RedisSubscriber, SubscriberEvents } from "./client-adapter";

/** What a {@link RedisBus} needs from its store. */
export interface RedisBusParts {
  pkg: string;
  /** The store's name, for `StoreClosedError`. */
  name: string;
  adapter: RedisClientAdapter<unknown>;
  /** PUBLISH through the store's bounded call path (deadline, ready gate, closed state). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `open` once the store's client has been ready at least once (a Cluster's subscriber is
   * a duplicate of one of its nodes: they are known then); returns a cancel function.
   */
  afterFirstReady(open: () => void): () => void;
}

/**
 * How long a Cluster's subscriber may stay unreachable before the bus opens another one, on a
 * node the Cluster knows now: after a failover, the node it was on may never come back.
 */
const CLUSTER_REOPEN_MS = 3000;

/**
 * A Redis store's bus: PUBLISH on the store's client, SUBSCRIBE on one connection of its own
 * (opened on the first subscription, closed with the store), shared by every channel and
 * subscription. It subscribes again after each reconnect, whatever the client does by itself, and
 * tells subscriptions `listening` only once the server confirmed their channel on the current
 * connection: a message published after that reaches them.
 */
export class RedisBus implements StoreBus {
  readonly #parts: RedisBusParts;
  readonly #channels: BusChannels;
  /** Channels the server confirmed on the current connection, since it was last ready. */
  readonly #confirmed = new Set<string>();
  /** The last SUBSCRIBE or UNSUBSCRIBE sent for each channel: only its reply may change its state. */
  readonly #sent = new Map<string, object>();
  #subscriber: RedisSubscriber | undefined;
  #cancelOpen: (() => void) | undefined;
  /** Waiting for the store's client to be ready, to open the connection. */
  #opening = false;
  /** Whether the connection is up (between `ready` and `lost`). */
  #up = false;
  /** Counts `ready` and `lost`: a SUBSCRIBE reply from before either is about a connection gone. */
  #epoch = 0;
  #reopenTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(parts: RedisBusParts) {
    this.#parts = parts;
    this.#channels = new BusChannels(parts.pkg, (channel) => this.#unsubscribe(channel));
  }

  publish(channel: string, message: string): Promise<void> {
    try {
      assertChannel(this.#parts.pkg, "publish", channel);
      assertMessage(this.#parts.pkg, message);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#parts.publish(channel, message);
  }

  subscribe(channel: string, listener: BusListener): BusSubscription {
    if (this.#closed) throw new StoreClosedError(this.#parts.pkg, this.#parts.name, "subscribe");
    const { subscription, created } = this.#channels.add(channel, listener);
    if (this.#confirmed.has(channel)) {
      // The channel is in place already: this subscription listens as soon as subscribe() returns
      // (unless the connection dropped meanwhile: then the next confirmation tells it).
      queueMicrotask(() => {
        if (this.#confirmed.has(channel)) this.#channels.listeningOne(subscription);
      });
    } else if (created) {
      this.#open();
      if (this.#up) this.#subscribeNow([channel]);
    }
    // Otherwise a SUBSCRIBE for the channel is on its way, or goes out when the connection is
    // ready: its confirmation tells every subscription of the channel.
    return subscription;
  }

  /** Ends every subscription and closes the connection (the store is closing). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    this.#cancelOpen?.();
    this.#cancelOpen = undefined;
    this.#opening = false;
    clearTimeout(this.#reopenTimer);
    this.#closeSubscriber();
  }

  /** Opens the connection, once, when the first channel is wanted. */
  #open(): void {
    if (this.#subscriber !== undefined || this.#opening) return;
    this.#opening = true;
    const cancel = this.#parts.afterFirstReady(() => {
      this.#opening = false;
      this.#cancelOpen = undefined;
      if (this.#closed || this.#subscriber !== undefined) return;
      const holder: { subscriber?: RedisSubscriber } = {};
      try {
        holder.subscriber = this.#parts.adapter.openSubscriber(this.#eventsFor(holder));
        this.#subscriber = holder.subscriber;
      } catch {
        // No node to open it on yet (a Cluster mid-failover): try again shortly.
        this.#scheduleReopen();
        return;
      }
      // A Cluster node that never answers is replaced like one that stopped answering.
      if (this.#parts.adapter.cluster) this.#scheduleReopen();
    });
    if (this.#opening) this.#cancelOpen = cancel;
  }

  /** Events bound to one connection: those of a connection replaced since are ignored. */
  #eventsFor(holder: { subscriber?: RedisSubscriber }): SubscriberEvents {
    const current = () =>
      !this.#closed && holder.subscriber !== undefined && this.#subscriber === holder.subscriber;
    return {
      message: (channel, message) => {
        if (current()) this.#channels.deliver(channel, message);
      },
      ready: () => {
        if (current()) this.#ready();
      },
      lost: () => {
        if (current()) this.#lost();
      },
    };
  }

  #ready(): void {
    clearTimeout(this.#reopenTimer);
    this.#reopenTimer = undefined;
    this.#up = true;
    this.#epoch++;
    this.#confirmed.clear();
    const wanted = this.#channels.channels();
    if (wanted.length > 0) this.#subscribeNow(wanted);
  }

  #lost(): void {
    if (!this.#up) return;
    this.#up = false;
    this.#epoch++;
    this.#confirmed.clear();
    this.#channels.interrupted();
    if (this.#parts.adapter.cluster) this.#scheduleReopen();
  }

  #scheduleReopen(): void {
    clearTimeout(this.#reopenTimer);
    this.#reopenTimer = setTimeout(() => {
      this.#reopenTimer = undefined;
      if (this.#closed || this.#up) return;
      this.#closeSubscriber();
      if (this.#channels.channels().length > 0) this.#open();
    }, CLUSTER_REOPEN_MS);
    // A bus waiting to reconnect must not keep the process alive by itself.
    this.#reopenTimer.unref();
  }

  #subscribeNow(channels: string[]): void {
    const subscriber = this.#subscriber;
    if (subscriber === undefined) return;
    const token = {};
    for (const channel of channels) this.#sent.set(channel, token);
    const epoch = this.#epoch;
    subscriber.subscribe(channels).then(
      () => {
        if (this.#closed || epoch !== this.#epoch) return;
        for (const channel of channels) {
          // Unsubscribed (or subscribed again) since: a later command decides.
          if (this.#sent.get(channel) !== token) continue;
          this.#sent.delete(channel);
          if (!this.#channels.has(channel)) continue;
          this.#confirmed.add(channel);
          this.#channels.listening(channel);
        }
      },
      () => {
        // The connection went while subscribing; its next `ready` subscribes again.
      },
    );
  }

  /** The channel's last subscription ended. Never rejects. */
  async #unsubscribe(channel: string): Promise<void> {
    this.#confirmed.delete(channel);
    const token = {};
    this.#sent.set(channel, token);
    const subscriber = this.#subscriber;
    try {
      // Not up: the server dropped the channel with the connection, and `ready` will not ask again.
      if (this.#up && subscriber !== undefined) await subscriber.unsubscribe([channel]);
    } catch {
      // The connection went meanwhile, and the channel with it.
    } finally {
      if (this.#sent.get(channel) === token) this.#sent.delete(channel);
    }
  }

  #closeSubscriber(): void {
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#up = false;
    this.#epoch++;
    this.#confirmed.clear();
    if (subscriber === undefined) return;
    try {
      subscriber.close();
    } catch {
      // Closing is best effort: the connection is abandoned either way.
    }
  }
}
