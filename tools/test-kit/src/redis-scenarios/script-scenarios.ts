import { randomUUID } from "node:crypto";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { commandCalls } from "../support/command-stats";
import { waitFor } from "../support/wait-for";
import type { RedisStoreKit } from "./redis-store-kit";

const { incrWithTtl } = sampleScripts;

/** EVALSHA with EVAL on NOSCRIPT, and a client keyPrefix applied exactly once. */
export function scriptScenarios(kit: RedisStoreKit): void {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it("sends a script's body once, then its SHA1; after SCRIPT FLUSH and a restart it still runs", async () => {
    const store = kit.created(server.url);
    const key = `n:${randomUUID()}`;
    await redisCommand(server.port, "CONFIG", "RESETSTAT");
    expect(await store.run(incrWithTtl, [key], [1, 60_000])).toBe(1);
    expect(await store.run(incrWithTtl, [key], [1, 60_000])).toBe(2);
    expect(await commandCalls(server.port)).toMatchObject({ eval: 1, evalsha: 1 });

    await redisCommand(server.port, "SCRIPT", "FLUSH");
    expect(await store.run(incrWithTtl, [key], [1, 60_000])).toBe(3);
    expect(await commandCalls(server.port)).toMatchObject({ eval: 2, evalsha: 2 });

    await server.restart();
    await waitFor("the client to reconnect", () => kit.isReady(store));
    expect(await store.run(incrWithTtl, [key], [5, 60_000])).toBe(5);
    await store.close();
  });

  it("honours a client keyPrefix on GET, SET, DEL and script KEYS, applying it exactly once", async () => {
    const store = await kit.handedDefault(server.url, { keyPrefix: "app:" });
    const key = `k:${randomUUID()}`;
    await store.set(key, "v", 60_000);
    expect(await redisCommand(server.port, "GET", `app:${key}`)).toBe("v");
    expect(await redisCommand(server.port, "EXISTS", `app:app:${key}`)).toBe("0");
    expect(await store.get(key)).toBe("v");
    expect(await store.run(incrWithTtl, [`${key}:n`], [2, 60_000])).toBe(2);
    expect(await redisCommand(server.port, "GET", `app:${key}:n`)).toBe("2");
    expect(await store.delete(key)).toBe(true);
    expect(await redisCommand(server.port, "EXISTS", `app:${key}`)).toBe("0");
    await store.close();
  });

  it("rejects a timeoutMs that is not a positive number (null too) before opening any connection", async () => {
    const connections = async () =>
      (await redisCommand(server.port, "INFO", "clients")).match(/connected_clients:(\d+)/)?.[1];
    const before = await connections();
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, null as unknown as number]) {
      expect(() => kit.created(server.url, { timeoutMs })).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_OPTION" }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await connections()).toBe(before);
  });
}
