import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { scriptScenarios } from "@mcp-persist/test-kit";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { createClient } from "redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { nodeRedisKit } from "./node-redis-kit";

scriptScenarios(nodeRedisKit);

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

it("close() leaves a handed-in client open unless told it owns it, and closes its own", async () => {
  const client = await createClient({ url: server.url }).connect();
  await nodeRedisStore({ client }).close();
  expect(client.isOpen).toBe(true);
  const owning = nodeRedisStore({ client, ownsClient: true });
  const closing = owning.close();
  expect(owning.close()).toBe(closing);
  await closing;
  expect(client.isOpen).toBe(false);

  const created = nodeRedisStore({ connection: server.url });
  await created.ping();
  await created.close();
  expect(created.client.isOpen).toBe(false);
});
