/**
 * Messages between the processes that share a store: Redis pub/sub on the Redis stores, a
 * same-process fan-out on the in-process ones. What the two tiers' coherence channel, the
 * fleet-wide single-flight's wake-ups and the MCP `ServerEventBus` are built on, written once.
 *
 * Delivery is at most once: a message published while a subscriber's connection is down is lost
 * to it. A subscriber that keeps state derived from messages (an in-process first tier) learns of
 * every such gap through {@link BusListener.listening}, and starts again from the store there.
 *
 * Channel names are sent as given: a client `keyPrefix` is not applied to them (Redis does not
 * prefix channels), so put your application's namespace in the channel name.
 */
export interface StoreBus {
  /**
   * Sends `message` to every subscriber of `channel`, in every process on this store, this
   * process's own subscribers included. Bounded by the store's deadline like any store call.
   * Rejects with `StoreUnavailableError` / `StoreTimeoutError` while Redis is unreachable, and
   * `StoreClosedError` after the store closed.
   */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Listens to `channel` (on a connection of its own for Redis, opened on the first subscription
   * and closed with the store). Returns at once: `listener.listening` says when the subscription
   * is in place, and again after every reconnect.
   * @throws {StoreClosedError} after the store closed.
   */
  subscribe(channel: string, listener: BusListener): BusSubscription;
}

/** What a {@link StoreBus} subscriber is told. Whatever a method throws is caught and dropped. */
export interface BusListener {
  /** One message on the channel; one publisher's messages arrive in the order it sent them. */
  message(message: string): void;
  /**
   * The subscription is in place: once after `subscribe`, then after every reconnect. Messages
   * published while it was not in place are lost; drop state that depended on them here.
   */
  listening?(): void;
  /** The subscription's connection was lost; messages are missed until the next `listening`. */
  interrupted?(): void;
}

/** One subscription; see {@link StoreBus.subscribe}. */
export interface BusSubscription {
  /** Whether messages are being received right now. */
  readonly listening: boolean;
  /** Stops listening. Idempotent; never rejects (closing the store ends it too). */
  unsubscribe(): Promise<void>;
}
