import { ioredisStore } from "@mcp-persist/store-ioredis";
import { scriptScenarios } from "@mcp-persist/test-kit";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ioredisKit } from "./ioredis-kit";

scriptScenarios(ioredisKit);

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

it("close() leaves a handed-in client open unless told it owns it, and quits its own", async () => {
  const client = new Redis(server.url);
  await client.ping();
  await ioredisStore({ client }).close();
  expect(client.status).toBe("ready");
  const owning = ioredisStore({ client, ownsClient: true });
  const closing = owning.close();
  expect(owning.close()).toBe(closing);
  await closing;
  expect(client.status).toBe("end");

  const created = ioredisStore({ connection: server.url });
  await created.ping();
  await created.close();
  expect(created.client.status).toBe("end");
});
