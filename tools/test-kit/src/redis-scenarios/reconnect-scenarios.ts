import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { timeSettled, waitFor } from "../support/wait-for";
import { codeOf, type RedisStoreKit } from "./redis-store-kit";

/** One increment in flight across a reconnect, and how it ended. */
export interface AcrossReconnect {
  server: RedisServer;
  net: TcpProxy;
  /** Whether the client under test is connected and ready. */
  isReady(): boolean;
  /** Sends one increment of `key`. */
  increment(key: string): Promise<unknown>;
  /** A command on the same connection: once it answers, anything re-sent before it has run. */
  barrier(): Promise<unknown>;
}

/**
 * Sends one increment to a frozen server, drops the connection (the server keeps the command),
 * lets the client reconnect, thaws the server, and returns the counter once the client is back:
 * "2" means the increment was applied twice.
 */
export async function incrementAcrossReconnect(
  run: AcrossReconnect,
): Promise<{ count: string; error: unknown }> {
  const key = `reconnect:${randomUUID()}`;
  await waitFor("the client to connect", run.isReady);
  run.server.freeze();
  const call = timeSettled(run.increment(key));
  await sleep(50); // the command is now in the frozen server's socket buffer
  run.net.cut();
  await waitFor("the client to notice", () => !run.isReady());
  await sleep(200); // it reconnects to the proxy and waits on the frozen server
  run.server.thaw();
  await waitFor("the client to be ready again", run.isReady);
  await run.barrier();
  return { count: await redisCommand(run.server.port, "GET", key), error: (await call).error };
}

/** A script in flight when the connection drops runs at most once through the store. */
export function reconnectScenarios(kit: RedisStoreKit): {
  server: () => RedisServer;
  proxy: () => Promise<TcpProxy>;
} {
  let server: RedisServer;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    server.thaw();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => server.stop());
  const proxy = async () => {
    const net = await startTcpProxy(server.port);
    cleanups.push(() => net.close());
    return net;
  };
  const throughStore = async (store: Store, net: TcpProxy) => {
    cleanups.push(() => store.close());
    return incrementAcrossReconnect({
      server,
      net,
      isReady: () => kit.isReady(store),
      increment: (key) => store.run(sampleScripts.incrWithTtl, [key], [1, 60_000]),
      barrier: () => store.ping(),
    });
  };

  describe("a script in flight when the connection drops, through the store", () => {
    it("is applied once on a default-configured client handed in, and the call fails", async () => {
      const net = await proxy();
      const { count, error } = await throughStore(await kit.handedDefault(net.url), net);
      expect(count).toBe("1");
      expect(codeOf(error)).toMatch(/^ERR_STORE_(TIMEOUT|UNAVAILABLE)$/);
    });

    it("is applied once on a store-created client", async () => {
      const net = await proxy();
      const { count } = await throughStore(kit.created(net.url), net);
      expect(count).toBe("1");
    });
  });
  return { server: () => server, proxy };
}
