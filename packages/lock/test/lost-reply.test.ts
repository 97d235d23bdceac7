import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { startTcpProxy, type TcpProxy, useRedis, waitFor } from "@mcp-persist/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { LockUnavailableError, once, withLock } from "../src/index";

// A call whose script reached Redis but whose reply was lost with its connection (cut while the
// server was frozen) never gets a late reply: the lock (or once mark) it took would stay until
// its TTL, with nobody holding it. The lock gives it back by token once the store is back.

const redis = useRedis();
const TTL_MS = 60_000; // far past the test's bound: only a give-back can free the lock in time
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  redis().thaw();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const clients = {
  ioredis: (port: number, keyPrefix: string) =>
    ioredisStore({ connection: { host: "127.0.0.1", port, keyPrefix } }),
  "node-redis": (port: number, keyPrefix: string) =>
    nodeRedisStore({ connection: { url: `redis://127.0.0.1:${port}`, keyPrefix } }),
};

describe.each(Object.entries(clients))("a lost reply on %s", (_name, open) => {
  async function setup(): Promise<{ through: Store; direct: Store; net: TcpProxy }> {
    const keyPrefix = `lost-${randomUUID()}:`;
    const net = await startTcpProxy(redis().port);
    const through = open(net.port, keyPrefix);
    const direct = open(redis().port, keyPrefix);
    cleanups.push(
      () => net.close(),
      () => through.close(),
      () => direct.close(),
    );
    await through.ping();
    return { through, direct, net };
  }

  /** Freezes Redis, sends `call`, cuts its connection once it gave up, thaws: the script runs, unanswered. */
  async function loseTheReply(net: TcpProxy, call: () => Promise<unknown>): Promise<unknown> {
    redis().freeze();
    const error = await call().catch((e: unknown) => e);
    net.cut();
    await sleep(100);
    redis().thaw();
    return error;
  }

  it("withLock: an acquire whose reply was lost is given back, not left until its TTL", async () => {
    const { through, direct, net } = await setup();
    let ran = false;
    const error = await loseTheReply(net, () =>
      withLock(through, "card", () => (ran = true), { ttlMs: TTL_MS }),
    );
    expect(error).toBeInstanceOf(LockUnavailableError);
    expect(ran).toBe(false);
    await waitFor(
      "the lock to be free again",
      async () => (await withLock(direct, "card", () => "free", { waitMs: 0 })).status === "ran",
      5000,
    );
  });

  it("once: a begin whose reply was lost leaves no mark that would answer busy or unknown", async () => {
    const { through, direct, net } = await setup();
    const error = await loseTheReply(net, () => once(through, "email-42", () => "sent", { ttlMs: TTL_MS }));
    expect(error).toBeInstanceOf(LockUnavailableError);
    await waitFor(
      "the once key to run again",
      async () => (await once(direct, "email-42", () => "sent")).status === "ran",
      5000,
    );
  });
});
