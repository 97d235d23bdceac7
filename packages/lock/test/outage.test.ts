import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterEach, describe, expect, it } from "vitest";
import { LockUnavailableError, once, withLock } from "../src/index";
import { lockKeys } from "../src/keys";
import { freshNamespace, redisKinds, sleep, storeTracker } from "./support/stores";

let server: RedisServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
async function startServer(): Promise<RedisServer> {
  server = await startRedis();
  return server;
}

describe.each(redisKinds(() => server?.url ?? ""))("a Redis outage on $name", (kind) => {
  const open = storeTracker();

  it("killed mid-lock: the holder's signal fires before its lease could lapse, and its result is kept", async () => {
    const redis = await startServer();
    const store = open(kind);
    const ttlMs = 1500;
    const started = performance.now();
    const result = await withLock(store, "r", { namespace: freshNamespace(), ttlMs }, async (lock) => {
      await redis.kill();
      await new Promise((resolve) => lock.signal.addEventListener("abort", resolve));
      return { reason: lock.signal.reason as unknown, abortedAfterMs: performance.now() - started };
    });
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

  it('down, with onStoreError "fail" (the default): rejects within the deadline and does not run', async () => {
    const redis = await startServer();
    const store = open(kind);
    await store.ping();
    await redis.kill();
    let ran = false;
    const started = performance.now();
    const error = await withLock(store, "r", { namespace: freshNamespace() }, () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockUnavailableError);
    expect(error).toMatchObject({ code: "ERR_LOCK_UNAVAILABLE", resource: "r" });
    await expect(once(store, "k", () => (ran = true))).rejects.toBeInstanceOf(LockUnavailableError);
    expect(ran).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('down, with onStoreError "proceed": runs without the lock and says so', async () => {
    const redis = await startServer();
    const store = open(kind);
    await store.ping();
    await redis.kill();
    const result = await withLock(
      store,
      "r",
      { namespace: freshNamespace(), onStoreError: "proceed" },
      (lock) => (lock.locked ? "locked" : "unlocked"),
    );
    expect(result).toMatchObject({
      status: "ran",
      value: "unlocked",
      released: false,
      lock: { locked: false },
    });
    if (result.status === "ran" && !result.lock.locked) expect(result.lock.storeError).toBeDefined();
    const side = await once(store, "k", () => "sent", { onStoreError: "proceed" });
    expect(side).toMatchObject({ status: "ran", value: "sent", stored: false, lock: { locked: false } });
  });

  it("hung (SIGSTOP): gives up at storeTimeoutMs whatever the client's patience, and undoes a late acquisition", async () => {
    const redis = await startServer();
    // A store that would wait 30 s on its own: the lock's deadline must not depend on it.
    const store = open(kind, 30_000);
    await store.ping();
    const namespace = freshNamespace();
    await redis.freeze();
    const started = performance.now();
    const error = await withLock(
      store,
      "r",
      { namespace, ttlMs: 60_000, storeTimeoutMs: 300 },
      () => {},
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_LOCK_UNAVAILABLE", cause: { name: "TimeoutError" } });
    expect(performance.now() - started).toBeLessThan(5000);

    await redis.thaw();
    // The acquisition Redis carried out late, nobody ran under: it is released, not left for 60 s.
    const { lock } = lockKeys(namespace, "lock", "r");
    const deadline = performance.now() + 5000;
    while ((await store.get(lock)) !== undefined && performance.now() < deadline) await sleep(20);
    expect(await store.get(lock)).toBeUndefined();
    expect(await withLock(store, "r", { namespace }, () => "back")).toMatchObject({
      status: "ran",
      value: "back",
    });
  });
});
