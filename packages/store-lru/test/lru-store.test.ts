import { InvalidOptionError, systemClock } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { lruStore } from "../src/index";
import { lruKeyspace } from "../src/lru-keyspace";

describe("lruStore", () => {
  it("evicts the least recently used entry beyond max", async () => {
    const store = lruStore({ max: 2 });
    await store.set("a", "1", 60_000);
    await store.set("b", "2", 60_000);
    await store.get("a");
    await store.set("c", "3", 60_000);
    expect([await store.get("a"), await store.get("b"), await store.get("c")]).toEqual(["1", undefined, "3"]);
  });

  it("bounds the total size, and drops a single entry larger than the bound", async () => {
    const store = lruStore({ maxSizeBytes: 100 });
    await store.set("a", "x".repeat(40), 60_000);
    await store.set("b", "x".repeat(40), 60_000);
    await store.set("c", "x".repeat(40), 60_000);
    expect(store.lru.calculatedSize).toBeLessThanOrEqual(100);
    expect(await store.get("a")).toBeUndefined();
    await store.set("huge", "x".repeat(200), 60_000);
    expect(await store.get("huge")).toBeUndefined();
    expect(await store.get("c")).toBe("x".repeat(40));
  });

  it("expires entries by the injected clock, absolutely", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    await store.set("k", "v", 1000);
    clock.advance(999);
    expect(await store.get("k")).toBe("v");
    clock.advance(2);
    expect(await store.get("k")).toBeUndefined();
  });

  it("counts a TTL from the time a script read when it is handed one, else from now", () => {
    const clock = createManualClock();
    const store = lruStore({ clock });
    for (const keyspace of [lruKeyspace(store.lru), store.state]) {
      keyspace.write("read before", "v", 1000, clock.now() - 400);
      keyspace.write("now", "v", 1000);
      expect([keyspace.remainingTtl("read before"), keyspace.remainingTtl("now")]).toEqual([600, 1000]);
    }
  });

  it("purges expired entries without being asked when ttlAutopurge is on", async () => {
    const store = lruStore({ ttlAutopurge: true });
    await store.set("k", "v", 20);
    expect(store.lru.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(store.lru.size).toBe(0);
  });

  it("keeps scripts' structured values apart from strings, bounded and expiring", async () => {
    const clock = createManualClock();
    const store = lruStore({ clock, maxSizeBytes: 10_000 });
    const push = defineScript<number>({
      name: "push",
      lua: "-- not run in process",
      local(ctx, [key = ""], [member = ""]) {
        const set = ctx.getData<Set<string>>(key) ?? new Set<string>();
        set.add(member);
        ctx.setData(key, set, 1000);
        return set.size;
      },
    });
    expect(await store.run(push, ["s"], ["a"])).toBe(1);
    expect(await store.run(push, ["s"], ["b"])).toBe(2);
    await expect(store.get("s")).rejects.toMatchObject({ code: "ERR_WRONG_TYPE" });
    expect(store.state.calculatedSize).toBeGreaterThan(64);
    clock.advance(1001);
    expect(await store.run(push, ["s"], ["c"])).toBe(1);
  });

  it("exposes the LRUCache and empties it on close", async () => {
    const store = lruStore();
    await store.set("k", "v", 60_000);
    expect(store.lru.get("k")).toBe("v");
    await store.close();
    await store.close();
    expect(store.lru.size).toBe(0);
    await expect(store.get("k")).rejects.toMatchObject({
      code: "ERR_STORE_CLOSED",
      message: expect.stringContaining("[@mcp-persist/store-lru]"),
    });
  });

  it("declares an in-process store that runs scripts, and the clock they read", () => {
    // deadlineMs 0: every call is settled when it returns, so capabilities arm no timer for it.
    expect(lruStore().capabilities).toEqual({ shared: false, cluster: false, deadlineMs: 0 });
    const clock = createManualClock();
    expect([lruStore().clock, lruStore({ clock }).clock]).toEqual([systemClock, clock]);
    expect(lruStore({ name: "tools" }).name).toBe("tools");
  });

  it("rejects bad bounds with a typed error", () => {
    expect(() => lruStore({ max: 0 })).toThrow(InvalidOptionError);
    expect(() => lruStore({ max: 1.5 })).toThrow("max must be a positive integer, got 1.5");
    expect(() => lruStore({ maxSizeBytes: -1 })).toThrow(InvalidOptionError);
    expect(() => lruStore({ maxStateKeys: 0 })).toThrow("maxStateKeys must be a positive integer, got 0");
    // Building the message never throws, whatever the value.
    for (const value of [Object.create(null), 5n, Symbol("s"), "10"]) {
      expect(() => lruStore({ max: value as never })).toThrow(InvalidOptionError);
    }
    expect(() => lruStore({ max: 5n as never })).toThrow("max must be a positive integer, got 5n");
  });

  it("takes a default only for an option left out: null, and every other wrong value, is refused typed", () => {
    for (const name of ["max", "maxStateKeys", "maxSizeBytes", "ttlAutopurge", "clock", "name"]) {
      expect(() => lruStore({ [name]: null })).toThrow(InvalidOptionError);
      expect(() => lruStore({ [name]: undefined })).not.toThrow();
    }
    expect(() => lruStore({ ttlAutopurge: "yes" as never })).toThrow(
      "ttlAutopurge must be true or false, got",
    );
    expect(() => lruStore({ clock: {} as never })).toThrow(InvalidOptionError);
    expect(() => lruStore({ clock: { now: 5 } as never })).toThrow(InvalidOptionError);
    expect(() => lruStore({ name: "" })).toThrow('name must be a non-empty string, got ""');
    for (const options of [null, "max", 5]) {
      expect(() => lruStore(options as never)).toThrow("lruStore() takes an options object");
    }
  });

  it("refuses a misspelt option name: maxSize would otherwise leave the 64 MB default in place", () => {
    const make = () => lruStore({ maxSize: 1024 } as never);
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(
      '[@mcp-persist/store-lru] unknown option "maxSize"; the options are max, maxSizeBytes, maxStateKeys, ttlAutopurge, clock, name (did you mean "maxSizeBytes"?)',
    );
    expect(() => lruStore({ MAX: 5 } as never)).toThrow('(did you mean "max"?)');
  });
});
