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

  const capabilities = { scripts: true, shared: true, serverTime: true };
  describe("a client the store creates", () => {
    storeConformance(test, () => kit.created(server.url, RELAXED), capabilities);
  });
  describe("a default-configured client handed in", () => {
    storeConformance(test, () => kit.handedDefault(server.url, RELAXED), capabilities);
  });
}
