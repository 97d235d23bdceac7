import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { type LockedContext, withLock } from "../src/index";
import { lockKeys } from "../src/keys";
import { freshNamespace } from "./support/namespace";

const redis = useRedis();

/** A lock held until `release()` is called, to make the next caller meet a busy lock. */
function holdOpen(store: Store, resource: string, namespace: string) {
  let release!: () => void;
  let entered!: (lock: LockedContext) => void;
  const inside = new Promise<LockedContext>((resolve) => (entered = resolve));
  const done = withLock(
    store,
    resource,
    async (lock) => {
      entered(lock);
      await new Promise<void>((resolve) => (release = resolve));
      return "first";
    },
    { ttlMs: 2000, namespace },
  );
  return { inside, release: () => release(), done };
}

describe.each(storeKinds(redis))("withLock on $name", (kind) => {
  it("runs the function under the lock, hands it a fencing token and releases", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const result = await withLock(
      store,
      "send-email:u1",
      async (lock) => {
        expect(lock.locked).toBe(true);
        expect(lock.signal.aborted).toBe(false);
        return `sent with ${lock.fencingToken}`;
      },
      { namespace },
    );
    expect(result.status).toBe("ran");
    if (result.status !== "ran") return;
    expect(result.value).toBe(`sent with ${result.lock.fencingToken}`);
    expect(Number.isSafeInteger(result.lock.fencingToken)).toBe(true);
    expect(result.released).toBe(true);
    expect(await store.get(lockKeys(namespace, "lock", "send-email:u1").lock)).toBeUndefined();
  });

  it("hands the function a context with its own enumerable locked, resource, fencingToken and signal", async () => {
    const store = kind.open();
    const result = await withLock(store, "r", (lock) => ({ ...lock }), { namespace: freshNamespace() });
    if (result.status !== "ran") throw new Error(`expected ran, got ${result.status}`);
    expect(Object.keys(result.lock)).toEqual(["locked", "resource", "fencingToken", "signal"]);
    expect(result.value).toEqual({
      locked: true,
      resource: "r",
      fencingToken: result.lock.fencingToken,
      signal: result.lock.signal,
    });
    const signal = Object.getOwnPropertyDescriptor(result.lock, "signal");
    expect(signal).toMatchObject({ enumerable: true, configurable: true, set: undefined });
    expect(typeof signal?.get).toBe("function");
  });

  it("returns busy without running the function while another holder has the lock", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const first = holdOpen(store, "r", namespace);
    await first.inside;
    let ran = false;
    const second = await withLock(
      store,
      "r",
      () => {
        ran = true;
      },
      { namespace },
    );
    expect(ran).toBe(false);
    expect(second).toMatchObject({ status: "busy", resource: "r" });
    if (second.status === "busy") {
      expect(second.retryAfterMs).toBeGreaterThan(0);
      expect(second.retryAfterMs).toBeLessThanOrEqual(2000);
    }
    first.release();
    expect(await first.done).toMatchObject({ status: "ran", value: "first", released: true });
  });

  it("waits for a busy lock with waitMs and gets a larger fencing token", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const first = holdOpen(store, "r", namespace);
    const firstLock = await first.inside;
    const second = withLock(store, "r", (lock) => lock.fencingToken, {
      namespace,
      waitMs: 5000,
      retryMaxMs: 50,
    });
    setTimeout(first.release, 100);
    const result = await second;
    expect(result.status).toBe("ran");
    if (result.status === "ran") expect(result.value).toBeGreaterThan(firstLock.fencingToken);
  });

  it("rethrows the function's error and still releases", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const boom = new Error("smtp refused");
    await expect(
      withLock(
        store,
        "r",
        () => {
          throw boom;
        },
        { namespace },
      ),
    ).rejects.toBe(boom);
    const next = await withLock(store, "r", () => "free again", { namespace });
    expect(next).toMatchObject({ status: "ran", value: "free again" });
  });

  it("stops waiting as soon as the caller's signal aborts, leaving no lock behind", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const first = holdOpen(store, "r", namespace);
    await first.inside;
    const controller = new AbortController();
    let ran = false;
    const started = performance.now();
    const waiting = withLock(
      store,
      "r",
      () => {
        ran = true;
      },
      { namespace, waitMs: 30_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("client cancelled")), 50);
    await expect(waiting).rejects.toThrow("client cancelled");
    // Bounded: far below the 30 s it would otherwise wait.
    expect(performance.now() - started).toBeLessThan(5000);
    first.release();
    await first.done;
    expect(ran).toBe(false);
    expect(await withLock(store, "r", () => "free", { namespace })).toMatchObject({ status: "ran" });
  });

  it("does not run the function for a caller that was already cancelled", async () => {
    const store = kind.open();
    let ran = false;
    const call = withLock(
      store,
      "r",
      () => {
        ran = true;
      },
      { namespace: freshNamespace(), signal: AbortSignal.abort("gone") },
    );
    await expect(call).rejects.toBe("gone");
    expect(ran).toBe(false);
  });

  it("fires the function's signal when the caller's signal aborts while it runs", async () => {
    const store = kind.open();
    const controller = new AbortController();
    const result = await withLock(
      store,
      "r",
      (lock) => {
        controller.abort("request cancelled");
        return { aborted: lock.signal.aborted, reason: lock.signal.reason };
      },
      { namespace: freshNamespace(), signal: controller.signal },
    );
    expect(result).toMatchObject({ status: "ran", value: { aborted: true, reason: "request cancelled" } });
  });

  it("keeps fencing tokens growing even when the counter is lost (expired or evicted)", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { fence } = lockKeys(namespace, "lock", "r");
    const tokens: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 10) {
        expect(await store.delete(fence)).toBe(true);
        // A counter is lost by expiry (7 days after it started) or eviction (after much churn),
        // never within the millisecond it started: the in-process twin's floor has ms resolution.
        await sleep(2);
      }
      const result = await withLock(store, "r", (lock) => lock.fencingToken, { namespace });
      if (result.status === "ran") tokens.push(result.value);
    }
    expect(tokens).toHaveLength(20);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1] as number);
  });
});
