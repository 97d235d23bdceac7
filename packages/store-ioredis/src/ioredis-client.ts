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
  sendCommand(command: OnceWrittenScript): unknown;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  once(event: "ready" | "end", listener: () => void): unknown;
  off(event: "ready" | "end", listener: () => void): unknown;
}
