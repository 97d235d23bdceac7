import { createCache, InvalidOptionError } from "@mcp-persist/cache-core";
import { faultyStore, memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it, vi } from "vitest";
import { deferred, settle, setup } from "./support";

const call = { tool: "search", args: { q: "cats" } };

describe("wrap({ signal })", () => {
  it("lets a cancelled waiter leave while the shared call goes on for the others", async () => {
    const { cache } = setup();
    const upstream = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls++;
      return upstream.promise;
    };
    const leader = cache.wrap(call, fn);
    const cancelled = new AbortController();
    const waiter = cache.wrap(call, fn, { signal: cancelled.signal });
    const patient = cache.wrap(call, fn, { signal: new AbortController().signal });
    await settle();
    const reason = new Error("request cancelled");
    cancelled.abort(reason);
    await expect(waiter).rejects.toBe(reason);
    upstream.resolve("result");
    expect(await Promise.all([leader, patient])).toEqual(["result", "result"]);
    expect(calls).toBe(1);
    expect(cache.stats().tools.search).toMatchObject({ misses: 1, coalesced: 2 });
  });

  it("lets the caller that started the call leave, and still stores the result for the next one", async () => {
    const { cache } = setup();
    const upstream = deferred<string>();
    const controller = new AbortController();
    const started = cache.wrap(call, () => upstream.promise, { signal: controller.signal });
    const joined = cache.wrap(call, () => "never called");
    await settle();
    controller.abort();
    await expect(started).rejects.toMatchObject({ name: "AbortError" });
    upstream.resolve("stored");
    expect(await joined).toBe("stored");
    expect(await cache.wrap(call, () => "not called either")).toBe("stored");
  });

  it("stops waiting for a store that does not answer", async () => {
    const cache = createCache({ store: faultyStore(memoryStore(), "hang"), defaultTtlMs: 1000 });
    const controller = new AbortController();
    let calls = 0;
    const pending = cache.wrap(call, () => ++calls, { signal: controller.signal });
    await settle();
    controller.abort("gone");
    await expect(pending).rejects.toBe("gone");
    expect(calls).toBe(0);
  });

  it("runs nothing for a signal that has already aborted", async () => {
    const { cache } = setup();
    let calls = 0;
    await expect(cache.wrap(call, () => ++calls, { signal: AbortSignal.abort("too late") })).rejects.toBe(
      "too late",
    );
    expect(calls).toBe(0);
    expect(cache.stats().total).toMatchObject({ hits: 0, misses: 0 });
  });

  it("leaves no abort listener behind on a long-lived signal", async () => {
    const { cache } = setup();
    const { signal } = new AbortController();
    const added = vi.spyOn(signal, "addEventListener");
    const removed = vi.spyOn(signal, "removeEventListener");
    for (let i = 0; i < 20; i++) await cache.wrap({ tool: "t", args: { i: i % 3 } }, () => i, { signal });
    await expect(cache.wrap(call, () => Promise.reject(new Error("upstream")), { signal })).rejects.toThrow(
      "upstream",
    );
    expect(added).toHaveBeenCalledTimes(21);
    expect(removed.mock.calls.map((args) => args[1])).toEqual(added.mock.calls.map((args) => args[1]));
  });

  it("refuses a signal that is not an AbortSignal, hit or miss", async () => {
    const { cache } = setup();
    for (const signal of [true, "abort", {}, { aborted: false }]) {
      await expect(cache.wrap(call, () => 1, { signal: signal as unknown as AbortSignal })).rejects.toThrow(
        InvalidOptionError,
      );
    }
    await expect(cache.wrap(call, () => 1, { signal: {} as AbortSignal })).rejects.toThrow(
      /signal must be an AbortSignal/,
    );
  });
});
