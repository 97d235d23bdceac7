import type { Store } from "@mcp-persist/cache-core";

/** A loopback node: what the harness's `rootNodes` holds. */
export interface Node {
  host: string;
  port: number;
}

/** The store option the scenarios vary. */
export interface StoreOptions {
  timeoutMs?: number;
}

/**
 * The conformance kit checks behaviour, not latency: on a loaded 2-core CI machine its 500
 * concurrent calls can take longer than the 250 ms default deadline, which the fail-fast
 * scenarios test on their own.
 */
export const RELAXED = { timeoutMs: 2000 };

/**
 * How one Redis store package makes its stores, so the scenarios in this folder run unchanged on
 * ioredis and node-redis. Each package's tests add only what is particular to its client.
 */
export interface RedisStoreKit {
  /** A store that creates (and owns) its own client. */
  created(url: string, options?: StoreOptions): Store;
  /** A store that creates (and owns) its own Cluster client. */
  createdCluster(rootNodes: Node[], options?: StoreOptions): Store;
  /** A store owning a client made with the library's defaults, as an application would hand it in. */
  handedDefault(url: string, options?: StoreOptions & { keyPrefix?: string }): Promise<Store>;
  /** The same, with a Cluster client. */
  handedDefaultCluster(rootNodes: Node[], options?: StoreOptions): Promise<Store>;
  /** Whether the store's client is connected and ready for commands. */
  isReady(store: Store): boolean;
  /** A bare, connected client with the library's defaults (no store), and a way to drop it unwaited. */
  bareDefaultClient(url: string): Promise<{ get(key: string): Promise<unknown>; drop(): void }>;
  /**
   * A connected client with the library's defaults, and the package's factory handed it where the
   * options go (`ioredisStore(redis)`), as a JavaScript user used to BentoCache may write.
   */
  clientAsOptions(url: string): Promise<{ client: object; misuse(): Store; drop(): void }>;
  /**
   * The built package, for scenarios that run the store in a child process as an application
   * does: its ESM entry, and the factory that takes `{ connection }`.
   */
  built: { module: URL; factory: string };
}

/** The code of a rejection, for `expect(...).toMatch`. */
export function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}
