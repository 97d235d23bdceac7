import { storeConformance } from "@mcp-persist/cache-core/testing";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, test } from "vitest";
import { RELAXED, type RedisStoreKit } from "./redis-store-kit";

/** The conformance kit on one standalone server, with a store-created client and a handed-in one. */
export function conformanceScenarios(kit: RedisStoreKit): void {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  const capabilities = { shared: true, cluster: false };
  // The kit's "close during an outage" tests, on the server every test here shares: vitest runs
  // a file's tests one at a time, and the kit ends each outage before the next test.
  const outages = {
    "Redis frozen (SIGSTOP)": { begin: () => server.freeze(), end: () => server.thaw() },
    "Redis killed": { begin: () => server.kill(), end: () => server.restart() },
  };
  describe("a client the store creates", () => {
    storeConformance(test, () => kit.created(server.url, RELAXED), capabilities, { outages });
  });
  describe("a default-configured client handed in", () => {
    storeConformance(test, () => kit.handedDefault(server.url, RELAXED), capabilities, { outages });
  });
}
