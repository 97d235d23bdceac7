import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { DEFAULT_REDIS_TIMEOUT_MS } from "@mcp-persist/cache-core/redis";
import { redisStoreKinds } from "@mcp-persist/test-kit";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterEach, describe, expect, it } from "vitest";
import { LockUnavailableError, once, withLock } from "../src/index";
import { lockKeys } from "../src/keys";
import { blockEventLoop, hogEventLoop } from "./support/event-loop";
import { freshNamespace } from "./support/namespace";

let server: RedisServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
async function startServer(): Promise<RedisServer> {
  server = await startRedis();
  return server;
}
const current = (): RedisServer => {
  if (server === undefined) throw new Error("start the test's server first");
  return server;
};
// These tests are about the stores' own default deadline, not the kit's patient one.
const storeDefault = { timeoutMs: DEFAULT_REDIS_TIMEOUT_MS };

describe.each(redisStoreKinds(current))("a Redis outage on $name", (kind) => {
  it("killed mid-lock: the holder's signal fires before its lease could lapse, and its result is kept", async () => {
    const redis = await startServer();
    const store = kind.open(storeDefault);
    const ttlMs = 1500;
    const started = performance.now();
    const result = await withLock(
      store,
      "r",
      async (lock) => {
        await redis.kill();
        await new Promise((resolve) => lock.signal.addEventListener("abort", resolve));
        return { reason: lock.signal.reason as unknown, abortedAfterMs: performance.now() - started };
      },
      { namespace: freshNamespace(), ttlMs },
    );
    // The lease was set after `started`, so it could not lapse before started + ttlMs.
    expect(result).toMatchObject({
      status: "ran",
      released: false,
      value: { reason: { code: "ERR_LOCK_LOST" } },
    });
    if (result.status === "ran") expect(result.value.abortedAfterMs).toBeLessThan(ttlMs);
    // Bounded: the release against a dead server did not hang the call.
    expect(performance.now() - started).toBeLessThan(ttlMs + 5000);
  });

  it('down, with onStoreDown "refuse" (the default): rejects within the deadline and does not run', async () => {
    const redis = await startServer();
    const store = kind.open(storeDefault);
    await store.ping();
    await redis.kill();
    let ran = false;
    const started = performance.now();
    const error = await withLock(
      store,
      "r",
      () => {
        ran = true;
      },
      { namespace: freshNamespace() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockUnavailableError);
    expect(error).toMatchObject({ code: "ERR_LOCK_UNAVAILABLE", resource: "r" });
    await expect(once(store, "k", () => (ran = true))).rejects.toBeInstanceOf(LockUnavailableError);
    expect(ran).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('down, with onStoreDown "proceed": runs without the lock and says so', async () => {
    const redis = await startServer();
    const store = kind.open(storeDefault);
    await store.ping();
    await redis.kill();
    const result = await withLock(store, "r", (lock) => (lock.locked ? "locked" : "unlocked"), {
      namespace: freshNamespace(),
      onStoreDown: "proceed",
    });
    expect(result).toMatchObject({
      status: "ran",
      value: "unlocked",
      released: false,
      lock: { locked: false },
    });
    if (result.status === "ran" && !result.lock.locked) expect(result.lock.storeError).toBeDefined();
    const side = await once(store, "k", () => "sent", { onStoreDown: "proceed" });
    expect(side).toMatchObject({ status: "ran", value: "sent", stored: false, lock: { locked: false } });
  });

  it("hung (SIGSTOP) with a store more patient than the lock: gives up at storeTimeoutMs, and undoes the late acquisition", async () => {
    const redis = await startServer();
    // A store that would wait 30 s on its own: the lock's deadline must not depend on it.
    const store = kind.open({ timeoutMs: 30_000 });
    await store.ping();
    const namespace = freshNamespace();
    redis.freeze();
    const started = performance.now();
    const error = await withLock(store, "r", () => {}, {
      namespace,
      ttlMs: 60_000,
      storeTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ERR_LOCK_UNAVAILABLE",
      cause: { code: "ERR_STORE_TIMEOUT", package: "@mcp-persist/lock" },
    });
    expect(performance.now() - started).toBeLessThan(5000);

    redis.thaw();
    // The acquisition Redis carried out late, nobody ran under: it is released, not left for 60 s.
    await gone(store, lockKeys(namespace, "lock", "r"));
    expect(await withLock(store, "r", () => "back", { namespace })).toMatchObject({
      status: "ran",
      value: "back",
    });
  });

  it.each(["withLock", "once"] as const)(
    "frozen for a second with default stores: %s fails at the store's deadline, and what Redis did late is undone on thaw",
    async (name) => {
      const redis = await startServer();
      const store = kind.open(storeDefault); // the Redis store's default deadline: 250 ms, under the default storeTimeoutMs, so no second timer
      await store.ping();
      const namespace = freshNamespace();
      const call = (fn: () => string) =>
        name === "withLock" ? withLock(store, "r", fn, { namespace }) : once(store, "r", fn, { namespace });
      let ran = false;
      redis.freeze();
      const frozenAt = performance.now();
      // Settles while Redis is still frozen (it is thawed only below).
      const error = await call(() => {
        ran = true;
        return "first";
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockUnavailableError);
      expect(error).toMatchObject({ cause: { code: "ERR_STORE_TIMEOUT" } });
      await sleep(1000 - (performance.now() - frozenAt));
      redis.thaw();

      // Redis now runs the acquisition it held: the lock (and once's mark) it grants are given back
      // as the reply arrives, rather than kept for the 30 s lease (once: 24 h of "unknown").
      await gone(store, lockKeys(namespace, name === "withLock" ? "lock" : "once", "r"));
      expect(await call(() => "next")).toMatchObject({ status: "ran", value: "next" });
      expect(ran).toBe(false);
    },
  );
});

describe.each(redisStoreKinds(current))("a busy event loop is not an outage, on $name", (kind) => {
  it("a lock whose reply waited in the socket while the loop was blocked past the deadline is taken", async () => {
    await startServer();
    const store = kind.open(storeDefault); // default deadline, 250 ms
    await store.ping();
    const namespace = freshNamespace();
    const locked = withLock(store, "r", () => "ran", { namespace });
    const side = once(store, "k", () => "sent", { namespace });
    blockEventLoop(750); // both acquisitions were sent; their replies wait unread
    expect(await locked).toMatchObject({ status: "ran", value: "ran", released: true });
    expect(await side).toMatchObject({ status: "ran", value: "sent", stored: true });
  });

  it("32 waiters on a saturated event loop all get the lock; none fails as if the store were down", async () => {
    await startServer();
    const store = kind.open(storeDefault);
    await store.ping();
    const namespace = freshNamespace();
    const calls = Array.from({ length: 32 }, (_, i) =>
      withLock(store, "shared", () => i, { namespace, waitMs: 60_000, retryBaseMs: 5, retryMaxMs: 100 }),
    );
    // Busy 6/7 of the time, starting now: every first attempt's reply waits unread past 250 ms.
    const stop = hogEventLoop(300, 50);
    try {
      const outcomes = await Promise.allSettled(calls);
      const failures = outcomes.filter((o) => o.status === "rejected").map((o) => String(o.reason));
      expect(failures).toEqual([]);
      expect(outcomes.map((o) => o.status === "fulfilled" && o.value.status)).toEqual(Array(32).fill("ran"));
    } finally {
      stop();
    }
  });
});

/** Waits (a few seconds at most, far below the 30 s lease) until the lock and record keys are gone. */
async function gone(store: Store, keys: { lock: string; record: string }): Promise<void> {
  const deadline = performance.now() + 5000;
  const present = async () =>
    (await store.get(keys.lock)) !== undefined || (await store.get(keys.record)) !== undefined;
  while ((await present()) && performance.now() < deadline) await sleep(20);
  expect({ lock: await store.get(keys.lock), record: await store.get(keys.record) }).toEqual({
    lock: undefined,
    record: undefined,
  });
}
