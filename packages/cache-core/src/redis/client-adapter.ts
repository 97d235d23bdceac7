/**
 * The few things a Redis store needs from a client, whatever the library: one adapter per
 * client (ioredis, node-redis), written in that store's package. Everything else (deadlines,
 * script registry, error mapping, closed state) is {@link createRedisStore}'s job, written once.
 *
 * Adapters pass keys to the client's own command methods, so a client `keyPrefix` is applied
 * exactly once, by the client, to GET/SET/DEL keys and to script KEYS alike.
 */
export interface RedisClientAdapter<Client> {
  /** The client the store talks through; exposed as `store.client`. */
  readonly client: Client;
  /**
   * True when `client` is a Redis Cluster (the adapter knows its own client's kind): published as
   * `store.capabilities.cluster`, so capabilities never inspect the client themselves.
   */
  readonly cluster: boolean;
  /**
   * True when a command sent now is written to a connected, ready server rather than queued.
   * The store sends nothing while this is false, so nothing waits in an offline queue.
   */
  isReady(): boolean;
  /**
   * Calls `listener` when the client next becomes ready; returns a function that unsubscribes.
   * A client that connects lazily is told to connect here.
   */
  onReady(listener: () => void): () => void;
  /**
   * GET: the value, or `null` when missing. `call`, as for scripts, is the store call it is sent
   * for: its `signal` aborts at the store's deadline, for a client whose queue takes one.
   */
  get(key: string, call: ScriptCall): Promise<string | null>;
  /** SET key value PX ttlMs (`ttlMs` is a whole number of milliseconds). */
  set(key: string, value: string, ttlMs: number, call: ScriptCall): Promise<unknown>;
  /** DEL: how many keys were removed. */
  del(key: string, call: ScriptCall): Promise<number>;
  /**
   * EVALSHA (`command` "evalsha", `body` the SHA1) or EVAL (`body` the Lua source).
   * Must write the command at most once — never re-send it after a reconnect or a failover, and
   * never write it once `call.settled` (the store gave up on it): a script that is not
   * idempotent (a counter, a lock) would otherwise apply twice or after its caller was told it
   * failed. Re-sending after a Cluster redirect (MOVED, ASK) is fine: the server did not run it.
   */
  evalScript(
    command: "evalsha" | "eval",
    body: string,
    keys: readonly string[],
    args: readonly string[],
    call: ScriptCall,
  ): Promise<unknown>;
  /** PING. */
  ping(): Promise<unknown>;
  /**
   * PUBLISH, on `client` (any node of a Cluster: classic pub/sub reaches every node). The channel
   * goes as given: Redis never prefixes channels, and neither client applies its `keyPrefix` to them.
   * `call`: the store call it is sent for, as for `get`.
   */
  publish(channel: string, message: string, call: ScriptCall): Promise<unknown>;
  /**
   * Opens a connection of its own for the store's bus to SUBSCRIBE on (a duplicate of `client`,
   * or on a Cluster, of one of its nodes: classic pub/sub reaches every node), connecting now and
   * reconnecting by itself after a loss. Called lazily, on the first subscription, once `client`
   * has been ready; again on a Cluster whose subscriber node stays unreachable. It reports through
   * `events`, never synchronously from this call.
   */
  openSubscriber(events: SubscriberEvents): RedisSubscriber;
  /** True when `error` is a reply from the server (`ERR …`, `WRONGTYPE …`), not a client or socket failure. */
  isReplyError(error: unknown): boolean;
  /** Draining close: pending replies are read, then the connection ends (ioredis `quit`, node-redis `close`). */
  quit(): Promise<void>;
  /**
   * Dropping close: pending commands are rejected and the connection ends now, including one still
   * being opened (ioredis `disconnect`, node-redis `destroy`). The store calls it when `quit()` has
   * not finished within its `timeoutMs` (Redis frozen), or failed.
   */
  disconnect(): void;
}

/**
 * The store call a command is sent for, as the adapter sees it: a script's (hence the name), or a
 * GET, SET, DEL or PUBLISH's.
 */
export interface ScriptCall {
  /**
   * True once the store has settled the call (answered, failed, or timed out): from then on the
   * script must not be written. Reading it costs nothing; check it right before each write.
   */
  readonly settled: boolean;
  /**
   * Aborted when the call times out, for a client whose queue takes an `AbortSignal`. Created on
   * first read (an AbortController is costly): read it only if the client needs one.
   */
  readonly signal: AbortSignal;
}

/** What a {@link RedisSubscriber} connection reports to the bus. */
export interface SubscriberEvents {
  /** A message on a subscribed channel. */
  message(channel: string, message: string): void;
  /**
   * The connection is ready for SUBSCRIBE: once connected, and again after each reconnect. The bus
   * then subscribes to every channel it wants, whether or not the client did so by itself.
   */
  ready(): void;
  /** The connection was lost (the client reconnects by itself). Said at least once per loss. */
  lost(): void;
}

/** The bus's own connection; see {@link RedisClientAdapter.openSubscriber}. */
export interface RedisSubscriber {
  /** True when SUBSCRIBE would be written now. */
  isReady(): boolean;
  /**
   * SUBSCRIBE; resolves once the server confirmed every channel. Subscribing to a channel it has
   * already is harmless (and may resolve at once).
   */
  subscribe(channels: readonly string[]): Promise<unknown>;
  /** UNSUBSCRIBE. */
  unsubscribe(channels: readonly string[]): Promise<unknown>;
  /**
   * Ends the connection now, including one still being opened, and stops reconnecting. Nothing
   * on it is worth waiting for: subscriptions end with it.
   */
  close(): void;
}
