import type { Store } from "@mcp-persist/cache-core";
import { ScriptBatcher, storeCaller } from "@mcp-persist/cache-core/kit";
import { redisStoreKinds, storeKinds, useRedis, waitFor } from "@mcp-persist/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import { acquireScript } from "../src/acquire.lua";
import { LockUnavailableError, lockScripts, withLock } from "../src/index";
import { lockKeys } from "../src/keys";
import { lockBatchScript } from "../src/lock-batch.lua";
import { freshNamespace } from "./support/namespace";

// On Redis, the acquisitions and releases made in one tick go to the store as one script call
// (`lock-batch`): one command for many locks. Each is still its own atomic step.

const redis = useRedis();
afterEach(() => redis().thaw());

/** A real store that counts its script calls by script name. */
function counting(inner: Store): { store: Store; runs: Map<string, number> } {
  const runs = new Map<string, number>();
  const store: Store = {
    name: inner.name,
    capabilities: inner.capabilities,
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    delete: (key) => inner.delete(key),
    run: (script, keys, args, options) => {
      runs.set(script.name, (runs.get(script.name) ?? 0) + 1);
      return inner.run(script, keys, args, options);
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, runs };
}

const resources = (n: number) => Array.from({ length: n }, (_, i) => `card-${i}`);

describe.each(redisStoreKinds(redis))("withLock calls made together on $name", (kind) => {
  it("go to Redis as a few batch calls: every lock taken, run under, and released", async () => {
    const { store, runs } = counting(kind.open());
    const namespace = freshNamespace();
    const results = await Promise.all(
      resources(100).map((resource, i) => withLock(store, resource, () => i, { namespace })),
    );
    expect(results.map((result) => result.status === "ran" && result.value)).toEqual(
      resources(100).map((_, i) => i),
    );
    expect(results.every((result) => result.status === "ran" && result.released)).toBe(true);
    const batches = runs.get(lockScripts.batch.name) ?? 0;
    const alone = (runs.get(lockScripts.acquire.name) ?? 0) + (runs.get(lockScripts.release.name) ?? 0);
    expect(batches).toBeGreaterThan(0);
    // 200 store calls' worth (100 acquisitions, 100 releases) in far fewer.
    expect(batches + alone).toBeLessThan(100);
    // All released: each can be taken again at once.
    const again = await Promise.all(
      resources(100).map((resource) => withLock(store, resource, () => "again", { namespace, waitMs: 0 })),
    );
    expect(again.every((result) => result.status === "ran")).toBe(true);
  });

  it("each is its own step: a batch holding the same resource twice takes it once, with growing fencing tokens", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const held: number[] = [];
    let holding = 0;
    let mostAtOnce = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        withLock(
          store,
          "one-card",
          async (lock) => {
            holding++;
            mostAtOnce = Math.max(mostAtOnce, holding);
            held.push(lock.fencingToken);
            await new Promise((resolve) => setTimeout(resolve, 1));
            holding--;
          },
          { namespace, waitMs: 5000 },
        ),
      ),
    );
    expect(results.every((result) => result.status === "ran")).toBe(true);
    expect(held).toHaveLength(20);
    expect(mostAtOnce).toBe(1);
    for (let i = 1; i < held.length; i++) expect(held[i]).toBeGreaterThan(held[i - 1] as number);
  });

  it("one call that fails in the script fails alone: the others of its batch take their locks", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    // A string that is not a number where the fencing counter goes: INCR fails for that resource.
    await store.set(lockKeys(namespace, "lock", "poisoned").fence, "not a counter", 60_000);
    const names = ["card-a", "poisoned", "card-b", "card-c"];
    const outcomes = await Promise.allSettled(
      names.map((resource) => withLock(store, resource, () => resource, { namespace })),
    );
    const alone = await withLock(store, "poisoned", () => "ran", { namespace }).catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(LockUnavailableError);
    expect(
      outcomes.map((o) => (o.status === "fulfilled" ? o.value.status : o.reason.constructor.name)),
    ).toEqual(["ran", "LockUnavailableError", "ran", "ran"]);
  });

  it("a batch the server answers too late: every call is refused, and each lock it granted is given back", async () => {
    const store = kind.open({ timeoutMs: 200 });
    const namespace = freshNamespace();
    redis().freeze();
    const outcomes = await Promise.allSettled(
      resources(8).map((resource) => withLock(store, resource, () => "ran", { namespace, ttlMs: 60_000 })),
    );
    expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof LockUnavailableError)).toBe(
      true,
    );
    redis().thaw();
    // The TTL is a minute: only giving each late grant back frees the locks in time.
    const patient = kind.open();
    await waitFor(
      "every lock granted late to be given back",
      async () => {
        const again = await Promise.all(
          resources(8).map((resource) => withLock(patient, resource, () => "free", { namespace, waitMs: 0 })),
        );
        return again.every((result) => result.status === "ran");
      },
      5000,
    );
  });
});

describe.each(redisStoreKinds(redis))("a lock batch on $name", (kind) => {
  it("refuses a call whose keys or arguments do not fit its script's shape, touching nothing", async () => {
    const store = kind.open();
    const batcher = new ScriptBatcher(
      storeCaller(store, { pkg: "test", timeoutMs: 1000, consequence: "the test went on" }),
      lockBatchScript,
    );
    await expect(batcher.run(acquireScript, ["only-the-lock"], ["t", 1000, 1000])).rejects.toMatchObject({
      code: "ERR_INVALID_OPTION",
    });
    expect(await store.get("only-the-lock")).toBeUndefined();
  });

  it("answered after its deadline: each call's onLateReply gets its own reply", async () => {
    const store = kind.open({ timeoutMs: 5000 });
    const namespace = freshNamespace();
    const [free, held] = [`${namespace}:{free}:lock`, `${namespace}:{held}:lock`];
    await store.run(acquireScript, [held, `${held}:fence`], ["holder", 60_000, 60_000]);
    const batcher = new ScriptBatcher(
      storeCaller(store, { pkg: "test", timeoutMs: 100, consequence: "the test went on" }),
      lockBatchScript,
    );
    const late: unknown[][] = [[], []];
    redis().freeze();
    const calls = [free, held].map((lock, i) =>
      batcher.run(acquireScript, [lock, `${lock}:fence`], [`t${i}`, 60_000, 60_000], {
        onLateReply: (reply) => late[i]?.push(reply[0]),
      }),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => o.status === "rejected" && (o.reason as { code?: string }).code)).toEqual([
      "ERR_STORE_TIMEOUT",
      "ERR_STORE_TIMEOUT",
    ]);
    redis().thaw();
    await waitFor("both late replies", () => late.every((replies) => replies.length === 1), 5000);
    expect(late).toEqual([["acquired"], ["busy"]]);
  });
});

describe.each(storeKinds(redis).filter((kind) => !kind.redis))(
  "withLock calls made together on $name",
  (kind) => {
    it("are not batched: a store in this process saves no round trip by it", async () => {
      const { store, runs } = counting(kind.open());
      const namespace = freshNamespace();
      await Promise.all(
        resources(10).map((resource) => withLock(store, resource, () => "ran", { namespace })),
      );
      expect(runs.get(lockScripts.batch.name)).toBeUndefined();
      expect(runs.get(lockScripts.acquire.name)).toBe(10);
    });
  },
);
