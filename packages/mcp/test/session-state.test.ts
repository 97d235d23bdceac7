import { createManualClock } from "@mcp-persist/cache-core/testing";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createSessionState, McpArgumentError } from "../src/index";

const redis = useRedis();
const kinds = storeKinds(redis);

describe.each(kinds)("createSessionState on $name", (kind) => {
  it("gets, sets and deletes values through the codec, seen by another process's instance", async () => {
    const keyPrefix = freshPrefix();
    const store = kind.open({ keyPrefix });
    const other = kind.redis ? kind.open({ keyPrefix }) : store;
    const mine = createSessionState(store).forSession("s-1");
    const theirs = createSessionState(other).forSession("s-1");
    expect(await mine.get("cart")).toBeUndefined();
    expect(await mine.set("cart", { items: [1, 2], at: new Date(5) })).toBe(true);
    expect(await mine.set("__proto__", "not a prototype")).toBe(true);
    expect(await theirs.get("cart")).toEqual({ items: [1, 2], at: new Date(5) });
    expect(await theirs.get("__proto__")).toBe("not a prototype");
    expect(await theirs.delete("cart")).toBe(true);
    expect(await mine.get("cart")).toBeUndefined();
    // Another session sees none of it.
    expect(await createSessionState(store).forSession("s-2").get("__proto__")).toBeUndefined();
  });

  it("loses no write when many writers set values of one session at once", async () => {
    const keyPrefix = freshPrefix();
    const shared = kind.redis ? undefined : kind.open();
    const writers = Array.from({ length: 4 }, () => createSessionState(shared ?? kind.open({ keyPrefix })));
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, n) => (writers[n % 4] ?? writers[0])?.forSession("s").set(`k${n}`, n)),
    );
    // A write that lost every compare-and-set says so: whatever it reports, it is not silently lost.
    const state = writers[0]?.forSession("s");
    for (const [n, written] of results.entries()) {
      if (written) expect(await state?.get(`k${n}`)).toBe(n);
    }
    expect(results.filter(Boolean).length).toBeGreaterThan(0);
  });

  it("ends a session: its state is gone", async () => {
    const sessions = createSessionState(kind.open());
    await sessions.forSession("s").set("a", 1);
    expect(await sessions.end("s")).toBe(true);
    expect(await sessions.forSession("s").get("a")).toBeUndefined();
  });

  it("finds the session of a handler's context: v1 extra.sessionId, v2.4 ctx.sessionId; none without", () => {
    const sessions = createSessionState(kind.open());
    expect(sessions.of({ sessionId: "abc" })?.sessionId).toBe("abc");
    expect(sessions.of({})).toBeUndefined();
    expect(sessions.of({ sessionId: "" })).toBeUndefined();
    expect(() => sessions.forSession("")).toThrow(McpArgumentError);
  });
});

describe("sliding TTL", () => {
  it("lives ttlMs after its last use, read or write", async () => {
    const clock = createManualClock();
    const lru = kinds.find((kind) => kind.name === "lru");
    const state = createSessionState(lru?.open({ clock }) as never, { ttlMs: 1000 }).forSession("s");
    await state.set("a", 1);
    for (let i = 0; i < 5; i++) {
      clock.advance(900);
      expect(await state.get("a")).toBe(1); // each read pushes the TTL back
    }
    clock.advance(1001);
    expect(await state.get("a")).toBeUndefined();
  });
});
