import { describe } from "@mcp-persist/internal";
import { ShutdownRegistrationError } from "./errors";

/** Closed with `close()`: a node-redis v5+ client, an mcp-persist `Store`, or anything else. */
export interface Closable {
  close(): unknown;
}

/** Closed with `quit()`: an ioredis `Redis` or `Cluster`, or a node-redis v4 client. */
export interface Quittable {
  quit(): unknown;
}

/** A store or client the shutdown closes with its draining close, never a dropping one. */
export type StoreLike = Closable | Quittable;

// What ioredis exposes beyond quit(); typed structurally so no client is a dependency.
interface IoredisShape {
  status?: unknown;
  autoPipelineQueueSize?: unknown;
  once?(event: "end", listener: () => void): unknown;
}

export function assertStoreLike(store: unknown): StoreLike {
  const candidate = store as Partial<Closable & Quittable> | null;
  if (typeof candidate?.close !== "function" && typeof candidate?.quit !== "function") {
    throw new ShutdownRegistrationError(
      `addStore() needs a store or client with close() (mcp-persist Store, node-redis v5+) or quit() ` +
        `(ioredis, node-redis v4), got ${describe(store)}`,
    );
  }
  return store as StoreLike;
}

/**
 * Closes `store` so that everything it has queued still reaches the server: node-redis v5+
 * `close()` and ioredis `quit()` wait for pending replies, where `destroy()` / `disconnect()`
 * would drop commands still queued in the client.
 */
export async function closeStore(store: StoreLike): Promise<void> {
  if (isClosed(store)) return;
  if ("close" in store && typeof store.close === "function") {
    await store.close();
    return;
  }
  await quit(store as Quittable & IoredisShape);
}

async function quit(client: Quittable & IoredisShape): Promise<void> {
  // ioredis sends QUIT at once but auto-pipelined commands only on the next setImmediate, so a
  // quit() issued in the same tick as writes overtakes them and Redis never sees the writes.
  while (typeof client.autoPipelineQueueSize === "number" && client.autoPipelineQueueSize > 0) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  // quit() resolves on the server's OK; the socket closes just after, and ioredis (the client
  // with a string `status`) announces that with "end". Other clients are not waited on for it.
  const ended =
    typeof client.status === "string" && typeof client.once === "function"
      ? new Promise<void>((resolve) => client.once?.("end", resolve))
      : undefined;
  await client.quit();
  if (ended !== undefined && client.status !== "end") await ended;
}

// An already-closed client is not a failure of the shutdown: someone closed it earlier.
function isClosed(store: StoreLike): boolean {
  const state = store as { status?: unknown; isOpen?: unknown };
  return state.status === "end" || state.isOpen === false;
}
