import { createCache } from "@mcp-persist/cache-core";
import { faultyStore, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { recordingLogger, upstream } from "./support";

describe("a failing store never fails the call", () => {
  for (const fault of ["reject", "throw"] as const) {
    it(`falls through to fn when every store call ${fault}s, logging and counting it`, async () => {
      const { logger, lines } = recordingLogger(false);
      const events: string[] = [];
      const cache = createCache({
        store: faultyStore(memoryStore(), fault),
        defaultTtlMs: 60_000,
        logger,
        onEvent: (event) => events.push(event.type === "error" ? `error:${event.operation}` : event.type),
      });
      const f = upstream((n) => ({ content: [{ type: "text", text: `fresh ${n}` }] }));
      const first = await cache.wrap({ tool: "search", args: { q: "x" } }, f.fn);
      const second = await cache.wrap({ tool: "search", args: { q: "x" } }, f.fn);
      expect([first.content[0]?.text, second.content[0]?.text]).toEqual(["fresh 1", "fresh 2"]);
      expect(cache.stats().tools.search?.errors).toBe(2);
      expect(events.filter((e) => e.startsWith("error:"))).toEqual(["error:generation", "error:generation"]);
      const warnings = lines.filter((line) => line.level === "warn");
      expect(warnings).toHaveLength(1); // throttled: an outage is one warning, not one per call
      expect(warnings[0]?.obj).toMatchObject({
        event: "cache_store_generation_failed",
        tool: "search",
        operation: "generation",
      });
      expect((warnings[0]?.obj as { err?: unknown }).err).toBeInstanceOf(Error);
    });
  }

  it("answers within a bounded delay when the store never answers", async () => {
    const cache = createCache({
      store: faultyStore(memoryStore(), "hang"),
      defaultTtlMs: 60_000,
      storeTimeoutMs: 100,
    });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => cache.wrap({ tool: "t", args: { i } }, async () => i)),
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(cache.stats().tools.t?.errors).toBe(50);
  });

  it("bounds a hanging store with the default op timeout (≤ 250 ms)", async () => {
    const cache = createCache({ store: faultyStore(memoryStore(), "hang"), defaultTtlMs: 60_000 });
    const started = performance.now();
    expect(await cache.wrap("k", () => "ok")).toBe("ok");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("still bounds a hanging store whose own declared deadline is longer than storeTimeoutMs", async () => {
    const hanging = faultyStore(memoryStore(), "hang");
    // The store claims a 60 s bound: weaker than the cache's, so the cache keeps its own timer.
    const store = { ...hanging, capabilities: { ...hanging.capabilities, deadlineMs: 60_000 } };
    const cache = createCache({ store, defaultTtlMs: 60_000, storeTimeoutMs: 100 });
    const started = performance.now();
    expect(await cache.wrap("k", () => "ok")).toBe("ok");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("adds no timer of its own when the store bounds its calls within storeTimeoutMs", async () => {
    const hanging = faultyStore(memoryStore(), "hang", { only: ["get"] });
    // A store that promises (falsely, here) to settle within 50 ms is trusted: the cache's
    // 100 ms timer is not armed, so this hanging GET is never abandoned by the cache.
    const store = { ...hanging, capabilities: { ...hanging.capabilities, deadlineMs: 50 } };
    const cache = createCache({ store, defaultTtlMs: 60_000, storeTimeoutMs: 100 });
    const outcome = await Promise.race([
      cache.wrap("k", () => "fn ran"),
      new Promise((resolve) => setTimeout(resolve, 500, "still waiting on the store")),
    ]);
    expect(outcome).toBe("still waiting on the store");
  });

  it("falls through when only the entry GET hangs, and skips the write", async () => {
    const inner = memoryStore();
    const cache = createCache({
      store: faultyStore(inner, "hang", { only: ["get"] }),
      defaultTtlMs: 60_000,
      storeTimeoutMs: 50,
    });
    expect(await cache.wrap("k", () => "v")).toBe("v");
    expect(cache.stats().total.errors).toBe(1);
    // The generation was read (a script), but no entry was written: the store looked down.
    const healthy = createCache({ store: inner, defaultTtlMs: 60_000 });
    expect(await healthy.wrap("k", () => "fresh")).toBe("fresh");
  });

  it("returns the result when only the write fails, and tries again next time", async () => {
    const cache = createCache({
      store: faultyStore(memoryStore(), "reject", { only: ["set"] }),
      defaultTtlMs: 60_000,
    });
    const f = upstream((n) => n);
    expect(await cache.wrap("k", f.fn)).toBe(1);
    expect(await cache.wrap("k", f.fn)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cache.stats().total.errors).toBe(2);
  });

  it("propagates fn's own error unchanged while the store is down", async () => {
    const cache = createCache({ store: faultyStore(memoryStore(), "reject"), defaultTtlMs: 60_000 });
    const error = new TypeError("bad input");
    await expect(cache.wrap("k", () => Promise.reject(error))).rejects.toBe(error);
  });

  it("rejects explicit invalidation when the store fails (the caller must know)", async () => {
    const cache = createCache({ store: faultyStore(memoryStore(), "reject"), defaultTtlMs: 60_000 });
    await expect(cache.invalidateTool("t")).rejects.toThrow("faulty store");
    await expect(cache.delete("k")).rejects.toThrow("faulty store");
    const hanging = createCache({
      store: faultyStore(memoryStore(), "hang"),
      defaultTtlMs: 60_000,
      storeTimeoutMs: 50,
    });
    await expect(hanging.invalidateAll()).rejects.toMatchObject({ code: "ERR_STORE_TIMEOUT" });
  });
});
