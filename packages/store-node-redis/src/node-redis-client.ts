/** What EVAL / EVALSHA take in node-redis. */
export interface NodeRedisScriptOptions {
  keys: string[];
  arguments: string[];
}

/** The script commands, on the client or on a view of it with command options. */
export interface NodeRedisScriptCommands {
  eval(script: string, options: NodeRedisScriptOptions): Promise<unknown>;
  evalSha(sha1: string, options: NodeRedisScriptOptions): Promise<unknown>;
}

/**
 * Every command the store sends with its deadline's signal (scripts, GET, SET, DEL, PUBLISH), on
 * the client or on a view of it with command options.
 */
export interface NodeRedisCommands extends NodeRedisScriptCommands {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { expiration: { type: "PX"; value: number } }): Promise<unknown>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * The slice of a node-redis client the store uses. A client from `createClient` or a cluster from
 * `createCluster`, of `redis` 5 or 6, fits as it is: the store depends on these few members, not on
 * one major's generic types.
 */
export interface NodeRedisClient extends NodeRedisCommands {
  /** True when commands go straight to the server (for a cluster: once it knows the slots). */
  readonly isReady: boolean;
  /** True between `connect()` and `close()`. */
  readonly isOpen: boolean;
  ping(): Promise<unknown>;
  /**
   * Used to give commands an abort signal, so a command the store gave up on is never written, in
   * place of the client's own command timeout when that is no shorter than the store's deadline.
   */
  withCommandOptions(options: { abortSignal: AbortSignal; timeout?: number | undefined }): NodeRedisCommands;
  /** Draining close: resolves once every pending reply is in (for ever, while Redis is frozen). */
  close(): Promise<unknown>;
  /** Dropping close: rejects pending commands and ends the connection at once. */
  destroy(): unknown;
  on(event: "ready" | "connect", listener: () => void): unknown;
  off(event: "ready" | "connect", listener: () => void): unknown;
}
