import { describe, expect, it } from "vitest";
import { deferred, settle, setup, upstream } from "./support";

describe("stale-while-revalidate", () => {
  it("serves the stale value to every concurrent caller at once while ONE background call refreshes it", async () => {
    const { cache, clock, events } = setup({ defaultTtlMs: 1000, staleTtlMs: 5000 });
    await cache.wrap("k", () => "v1");
    clock.advance(1500);
    const refresh = deferred<string>();
    let calls = 0;
    const slow = () => {
      calls++;
      return refresh.promise;
    };
    const served = await Promise.all(Array.from({ length: 200 }, () => cache.wrap("k", slow)));
    expect(served).toEqual(Array(200).fill("v1")); // answered while the refresh is still pending
    expect(calls).toBe(1);
    refresh.resolve("v2");
    await settle();
    expect(await cache.wrap("k", () => "unused")).toBe("v2");
    expect(calls).toBe(1);
    const stale = events.filter((e) => e.type === "stale");
    expect(stale).toHaveLength(200);
    expect(stale.every((e) => e.type === "stale" && e.reason === "revalidate")).toBe(true);
    expect(cache.stats().total.stale).toBe(200);
  });

  it("keeps serving the stale value when the background refresh fails, and reports it", async () => {
    const { cache, clock, events } = setup({ defaultTtlMs: 1000, staleTtlMs: 5000 });
    await cache.wrap("k", () => "v1");
    clock.advance(2000);
    expect(await cache.wrap("k", () => Promise.reject(new Error("upstream down")))).toBe("v1");
    await settle();
    expect(events.some((e) => e.type === "refresh-failed")).toBe(true);
    expect(await cache.wrap("k", () => "v2")).toBe("v1"); // still stale: this call refreshes
    await settle();
    expect(await cache.wrap("k", () => "v3")).toBe("v2");
  });

  it("stops serving once the grace window is over", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000, staleTtlMs: 5000 });
    await cache.wrap("k", () => "v1");
    clock.advance(6001);
    expect(await cache.wrap("k", () => "v2")).toBe("v2");
  });

  it("is off by default: an expired entry makes callers wait for fn", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000 });
    await cache.wrap("k", () => "v1");
    clock.advance(1001);
    await expect(cache.wrap("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
  });
});

describe("stale-if-error", () => {
  it("serves the stale value to every waiter when fn throws, with one fn call", async () => {
    const { cache, clock, events } = setup({
      defaultTtlMs: 1000,
      staleTtlMs: 5000,
      staleWhileRevalidate: false,
    });
    await cache.wrap("k", () => "v1");
    clock.advance(1500);
    const failure = deferred<string>();
    let calls = 0;
    const failing = () => {
      calls++;
      return failure.promise;
    };
    const pending = Array.from({ length: 100 }, () => cache.wrap("k", failing));
    await settle();
    failure.reject(new Error("upstream down"));
    expect(await Promise.all(pending)).toEqual(Array(100).fill("v1"));
    expect(calls).toBe(1);
    expect(events.filter((e) => e.type === "stale" && e.reason === "error")).toHaveLength(1);
  });

  it("waits for fn when it succeeds, and stores the new value", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000, staleTtlMs: 5000, staleWhileRevalidate: false });
    await cache.wrap("k", () => "v1");
    clock.advance(1500);
    expect(await cache.wrap("k", () => "v2")).toBe("v2");
    expect(await cache.wrap("k", () => "v3")).toBe("v2");
  });

  it("serves the stale value when fn returns an MCP error result", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000, staleTtlMs: 5000, staleWhileRevalidate: false });
    await cache.wrap("k", () => ({ content: [{ type: "text", text: "good" }] }));
    clock.advance(1500);
    const result = await cache.wrap("k", () => ({ content: [{ type: "text", text: "bad" }], isError: true }));
    expect(result.content[0]?.text).toBe("good");
  });

  it("can be turned off: fn's error propagates even with a stale value", async () => {
    const { cache, clock } = setup({
      defaultTtlMs: 1000,
      staleTtlMs: 5000,
      staleWhileRevalidate: false,
      staleIfError: false,
    });
    await cache.wrap("k", () => "v1");
    clock.advance(1500);
    await expect(cache.wrap("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
  });

  it("follows a per-call grace window", async () => {
    const { cache, clock } = setup({ defaultTtlMs: 1000, staleWhileRevalidate: false });
    const f = upstream((n) => n);
    await cache.wrap("k", f.fn, { staleTtlMs: 5000 });
    clock.advance(1500);
    expect(await cache.wrap("k", () => Promise.reject(new Error("down")), { staleTtlMs: 5000 })).toBe(1);
    await expect(cache.wrap("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
  });
});
