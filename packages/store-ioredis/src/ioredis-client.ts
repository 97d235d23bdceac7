import type { OnceWrittenScript } from "./once-written-script";

/**
 * The slice of an ioredis client the store uses. A `Redis` or a `Cluster` of ioredis 5 or 6 fits
 * as it is: the store depends on these few members, not on one major's class.
 */
export interface IoredisClient {
  /** `ready` when commands go straight to the server; `wait` before a lazy client connects; `end` once closed. */
  readonly status: string;
  /** `true` on a `Cluster`, `false` on a `Redis`: published as `store.capabilities.cluster`. */
  readonly isCluster: boolean;
  /** Read for `keyPrefix`, which the store applies to script KEYS exactly as ioredis does to GET/SET/DEL. */
  readonly options: { readonly keyPrefix?: string | undefined };
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: "PX", milliseconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  ping(): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  /** On a `Cluster`: its node connections, one of which the bus duplicates to subscribe on. */
  nodes?(role: "master"): IoredisNode[];
  sendCommand(command: OnceWrittenScript): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  once(event: "ready" | "end", listener: () => void): unknown;
  off(event: "ready" | "end", listener: () => void): unknown;
}

/** What the bus's subscriber connection is made with (see {@link IoredisNode.duplicate}). */
export interface IoredisSubscriberOptions {
  lazyConnect: boolean;
  autoResubscribe: boolean;
  enableOfflineQueue: boolean;
  retryStrategy: (attempt: number) => number;
  connectionName: string;
}

/** A standalone ioredis `Redis` (a Cluster's node connection, for one), as the bus uses it. */
export interface IoredisNode {
  readonly options: { readonly host?: string | undefined; readonly port?: number | undefined };
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(override: IoredisSubscriberOptions): IoredisSubscriberClient;
}

/** The slice of a standalone `Redis` the bus subscribes through. */
export interface IoredisSubscriberClient {
  /** `ready` once connected (and subscribed to nothing yet, or again). */
  readonly status: string;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  disconnect(): void;
  on(event: "message", listener: (channel: string, message: string) => void): unknown;
  on(event: "ready" | "close" | "error", listener: () => void): unknown;
}
