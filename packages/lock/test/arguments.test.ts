import type { Store } from "@mcp-persist/cache-core";
import { type LruStore, lruStore } from "@mcp-persist/store-lru";
import { redisStoreKinds, useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  clearOnce,
  type LockContext,
  type LockedContext,
  type LockOptions,
  once,
  withLock,
} from "../src/index";

const redis = useRedis();

/** Calls made with a wrong argument: each must reject before the store is touched. */
const badCalls: [string, (store: Store) => Promise<unknown>][] = [
  // The function forgotten: the options sit where it belongs (this used to take the lock, then
  // throw "fn is not a function" and leave the fencing counter behind).
  ["withLock without fn", (store) => withLock(store, "r", { ttlMs: 1000 } as never)],
  ["withLock with a fn that is not one", (store) => withLock(store, "r", "run it" as never)],
  ["withLock with options that are not an object", (store) => withLock(store, "r", () => 1, "fast" as never)],
  ["withLock with null options", (store) => withLock(store, "r", () => 1, null as never)],
  ["withLock with an empty resource", (store) => withLock(store, "", () => 1)],
  ["withLock with a bad option (old order)", (store) => withLock(store, "r", { ttlMs: -1 }, () => 1)],
  ["withLock with a bad option", (store) => withLock(store, "r", () => 1, { waitMs: -1 })],
  ["once without fn", (store) => once(store, "k", undefined as never)],
  ["once with options first", (store) => once(store, "k", { ttlMs: 1000 } as never, (() => 1) as never)],
  ["once with options that are not an object", (store) => once(store, "k", () => 1, 42 as never)],
  ["clearOnce with options that are not an object", (store) => clearOnce(store, "k", "ns" as never)],
  ["clearOnce with an empty key", (store) => clearOnce(store, "")],
];

/** Stores that are not: each must be refused with a message naming what is expected. */
const notStores: [string, unknown][] = [
  ["null", null],
  ["an object without run()", { name: "fake", get: () => Promise.resolve(undefined) }],
  ["a string", "redis://127.0.0.1"],
  // Found by tools/fuzz: these passed a check for run() or delete() alone, then failed with a TypeError.
  ["an object with run() but no capabilities", { run: () => Promise.resolve(1) }],
  ["a Map (it has delete())", new Map()],
  ["a Set (it has delete())", new Set()],
  ["a store's methods with capabilities: null", { ...lruStore(), capabilities: null }],
];

describe("every argument is checked before the store is touched", () => {
  it("on the in-process store: a bad call writes no key", async () => {
    const store: LruStore = lruStore();
    for (const [name, call] of badCalls) {
      await expect(call(store), name).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_INVALID_/) });
    }
    expect(store.lru.size).toBe(0);
  });

  it.each(redisStoreKinds(redis))("on $name: a bad call writes no key to Redis", async (kind) => {
    const store = kind.open();
    await store.ping();
    await redisCommand(redis().port, "FLUSHALL");
    for (const [name, call] of badCalls) {
      await expect(call(store), name).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_INVALID_/) });
    }
    expect(await redisCommand(redis().port, "DBSIZE")).toBe("0");
  });

  it("names the missing function, the misplaced options and a store that is not one", async () => {
    const store = lruStore();
    await expect(withLock(store, "r", { ttlMs: 1000 } as never)).rejects.toThrow(
      "[@mcp-persist/lock] withLock(store, resource, fn, options?) takes the function to run under the lock as its third argument, got object",
    );
    await expect(withLock(store, "r", () => 1, "fast" as never)).rejects.toThrow(
      "withLock(store, resource, fn, options?) takes its options (e.g. { ttlMs: 10_000 }) as the last argument, got string",
    );
    for (const [name, notStore] of notStores) {
      for (const call of [
        withLock(notStore as Store, "r", () => 1),
        once(notStore as Store, "k", () => 1),
        clearOnce(notStore as Store, "k"),
      ]) {
        await expect(call, name).rejects.toMatchObject({
          code: "ERR_INVALID_OPTION",
          message: expect.stringContaining(
            "[@mcp-persist/lock] the first argument must be an mcp-persist Store",
          ),
        });
      }
    }
    expect(store.lru.size).toBe(0);
  });
});

describe("the argument order of the first release, withLock(store, resource, options, fn)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("still works, with one DeprecationWarning per process", async () => {
    // A fresh copy of the package: the warning is once per process, whatever ran before.
    vi.resetModules();
    const fresh = await import("../src/index");
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const store = lruStore();
    const first = await fresh.withLock(store, "r", { ttlMs: 1000 }, (lock) => lock.locked);
    const second = await fresh.withLock(store, "r", {}, () => "again");
    const current = await fresh.withLock(store, "r", () => "new order");
    expect([first, second, current]).toMatchObject([
      { status: "ran", value: true },
      { status: "ran", value: "again" },
      { status: "ran", value: "new order" },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]).toEqual([
      expect.stringContaining("withLock(store, resource, options, fn) is deprecated"),
      { type: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" },
    ]);
  });

  it("keeps its types: the context follows onStoreDown", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const store = lruStore();
    await withLock(store, "t", {}, (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>());
    await withLock(store, "t", { onStoreDown: "proceed" }, (lock) =>
      expectTypeOf(lock).toEqualTypeOf<LockContext>(),
    );
    const options: LockOptions = {};
    await withLock(store, "t", options, (lock) => expectTypeOf(lock).toEqualTypeOf<LockContext>());
  });
});
