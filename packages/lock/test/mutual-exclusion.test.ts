import { lruStore } from "@mcp-persist/store-lru";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import type { LockedContext, withLock } from "../src/index";
import { contend } from "./support/contend";
import { freshNamespace } from "./support/namespace";
import { assertNoOverlap } from "./support/overlap";

const redis = useRedis();

describe.each(storeKinds(redis))("100 concurrent callers on $name", (kind) => {
  it("never lets two holders in at once, and each call either ran or was busy", async () => {
    const { events, ran, busy } = await contend(kind.open(), freshNamespace(), 100);
    expect(ran + busy).toBe(100);
    expect(assertNoOverlap(events)).toBe(ran);
    // Real contention: many holders went through one after another.
    expect(ran).toBeGreaterThan(10);
  });
});

describe("the overlap detector", () => {
  it("rejects interleaved holders and tokens that do not grow", () => {
    const enter = (token: number, who: string) => ({ type: "enter" as const, token, who });
    const leave = (token: number, who: string) => ({ type: "leave" as const, token, who });
    expect(() => assertNoOverlap([enter(1, "a"), enter(2, "b"), leave(1, "a"), leave(2, "b")])).toThrow(
      /overlap/,
    );
    expect(() => assertNoOverlap([enter(2, "a"), leave(2, "a"), enter(2, "b"), leave(2, "b")])).toThrow(
      /did not grow/,
    );
    expect(() => assertNoOverlap([enter(1, "a")])).toThrow(/never left/);
    expect(assertNoOverlap([enter(1, "a"), leave(1, "a"), enter(5, "b"), leave(5, "b")])).toBe(2);
  });

  it("catches the same workload run without a lock", async () => {
    let token = 0;
    // Runs every call at once, as a broken lock would.
    const noLock = (async (_store: unknown, resource: string, fn: (lock: LockedContext) => unknown) => {
      const lock: LockedContext = {
        locked: true,
        resource,
        fencingToken: ++token,
        signal: new AbortController().signal,
      };
      return { status: "ran", value: await fn(lock), lock, released: true };
    }) as typeof withLock;
    const { events } = await contend(lruStore(), freshNamespace(), 100, noLock);
    expect(() => assertNoOverlap(events)).toThrow(/overlap/);
  });
});
