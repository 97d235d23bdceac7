/**
 * A worker process of the fleet workloads: one process of a fleet sharing one Redis, with its
 * own connections and its own caches. Driven by the parent over IPC (see protocol.ts); run by
 * pool.ts, never by hand.
 */
import type { Store } from "@mcp-persist/cache-core";
import { connectClients, type RedisClients } from "../redis-clients";
import type { FleetStore, FromWorker, ToWorker, WorkerInit } from "./protocol";
import { CoherenceRole } from "./worker-coherence";
import { StampedeRunner } from "./worker-stampede";

function send(message: FromWorker): void {
  process.send?.(message);
}

/** Every store made, to close (their bus connections) before the clients. */
const opened: Store[] = [];

async function openStores(init: WorkerInit, clients: RedisClients): Promise<Map<FleetStore, () => Store>> {
  const stores = new Map<FleetStore, () => Store>();
  const kept = (make: () => Store) => () => {
    const store = make();
    opened.push(store);
    return store;
  };
  if (init.stores.includes("ioredis")) {
    const { ioredisStore } = await import("@mcp-persist/store-ioredis");
    stores.set(
      "ioredis",
      kept(() => ioredisStore({ client: clients.ioredis })),
    );
  }
  if (init.stores.includes("node-redis")) {
    const { nodeRedisStore } = await import("@mcp-persist/store-node-redis");
    stores.set(
      "node-redis",
      kept(() => nodeRedisStore({ client: clients.nodeRedis })),
    );
  }
  return stores;
}

let clients: RedisClients | undefined;
let stampede: StampedeRunner | undefined;
let coherence: CoherenceRole | undefined;

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "init": {
      clients = await connectClients(message.init.url);
      const stores = await openStores(message.init, clients);
      stampede = new StampedeRunner(stores, clients, message.init.payloadBytes);
      coherence = new CoherenceRole(stores, clients);
      send({ type: "ready" });
      return;
    }
    case "stampede":
      send(await (stampede as StampedeRunner).round(message));
      return;
    case "read":
      // Answers "reading" once its first tier is warm, then reads until told to stop.
      await (coherence as CoherenceRole).startReading(message.line, () => send({ type: "reading" }));
      return;
    case "stop-reading":
      send(await (coherence as CoherenceRole).stopReading());
      return;
    case "write":
      send(await (coherence as CoherenceRole).write(message.line, message.rounds, message.settleMs));
      return;
    case "exit":
      await Promise.allSettled(opened.map((store) => store.close()));
      await clients?.close();
      process.exit(0);
  }
}

process.on("message", (message) => {
  handle(message as ToWorker).catch((error: unknown) => {
    send({
      type: "failed",
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  });
});
// The parent is gone (it crashed, or was killed): nothing left to do.
process.on("disconnect", () => process.exit(0));
// Ctrl-C reaches the whole process group: the parent closes the workers itself.
process.on("SIGINT", () => {});
