import assert from "node:assert/strict";
import { rejectsWithCode, type Suite, sleep, withStore } from "./conformance-support";

// Real sleeps: a store's own clock is under test. Only "gone after" is asserted, never "gone by".

export function ttlTests(suite: Suite): void {
  const { test } = suite;

  test("an entry expires after its TTL in milliseconds", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("short"), "v", 100);
      assert.equal(await store.get(key("short")), "v");
      await sleep(220);
      assert.equal(await store.get(key("short")), undefined);
      assert.equal(await store.delete(key("short")), false, "an expired entry is not deleted again");
    }));

  test("TTLs are absolute: reads do not extend them", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("absolute"), "v", 200);
      assert.equal(await store.get(key("absolute")), "v");
      await sleep(120);
      // Read again while (most likely) alive: with sliding TTLs this would push expiry to ~320 ms.
      await store.get(key("absolute"));
      await sleep(130);
      assert.equal(await store.get(key("absolute")), undefined);
    }));

  test("a second set replaces the TTL", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("renewed"), "old", 50);
      await store.set(key("renewed"), "new", 60_000);
      await sleep(120);
      assert.equal(await store.get(key("renewed")), "new");
    }));

  test("a fractional TTL is accepted", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("fraction"), "v", 10_000.5);
      assert.equal(await store.get(key("fraction")), "v");
    }));

  test("an invalid TTL rejects with ERR_INVALID_TTL and stores nothing", () =>
    withStore(suite, async (store, key) => {
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "100", undefined, null]) {
        await rejectsWithCode(
          store.set(key("bad"), "v", ttl as number),
          "ERR_INVALID_TTL",
          `set() with TTL ${String(ttl)}`,
        );
      }
      assert.equal(await store.get(key("bad")), undefined);
    }));
}
