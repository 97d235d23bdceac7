import { Redis } from "ioredis";
import { createClient } from "redis";
import type { Pingable } from "../src/index";

/** A connected client with the fail-fast settings the README recommends for a health check. */
export interface TestClient {
  client: Pingable;
  close(): void;
}

export const clientFactories: { name: string; connect(url: string): Promise<TestClient> }[] = [
  {
    name: "ioredis",
    async connect(url) {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: () => 100,
      });
      client.on("error", () => {}); // outages are what these tests cause; the check reports them
      await client.connect();
      return { client, close: () => client.disconnect() };
    },
  },
  {
    name: "node-redis",
    async connect(url) {
      const client = createClient({
        url,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: () => 100 },
      });
      client.on("error", () => {});
      await client.connect();
      return { client, close: () => client.destroy() };
    },
  },
];
