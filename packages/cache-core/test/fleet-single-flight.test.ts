import { type CacheEvent, type CacheOptions, createCache } from "@mcp-persist/cache-core";
import { memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { leaseKeyOf } from "../src/fleet-flight";
import { leaseScripts } from "../src/lease-scripts";
import { sharedView } from "./shared-view";
import { deferred, settle } from "./support";

/** `count` caches with the fleet-wide single-flight on one store: `count` processes on one Redis. */
async function fleet(count: number, options: Partial<CacheOptions> = {}) {
  const shared = memoryStore();
  const processes = Array.from({ length: count }, () => {
    const view = sharedView(shared);
    const events: CacheEvent[] = [];
    const cache = createCache({
      store: view.store,
      defaultTtlMs: 60_000,
      singleFlight: "fleet",
      onEvent: (event) => events.push(event),
      ...options,
    });
    return { cache, view, events };
  });
  await settle();
  return { shared, processes };
}

/** An upstream call held open until released, counting its calls across every process. */
function slowUpstream() {
  const gate = deferred<void>();
  const counter = {
    calls: 0,
    release: () => gate.resolve(),
    fn: async () => {
      const n = ++counter.calls;
      await gate.promise;
      return { answer: n };
    },
  };
  return counter;
}

const elapsed = (since: number) => performance.now() - since;

/** Polls `check` every 10 ms until it holds; throws naming `what` after `timeoutMs`. */
async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("fleet-wide single-flight (processes modelled on one store)", () => {
  for (const count of [2, 4]) {
    it(`${count} processes × 250 concurrent cold calls on one key make 1 upstream call`, async () => {
      const { processes } = await fleet(count);
      const upstream = slowUpstream();
      const pending = processes.flatMap(({ cache }) =>
        Array.from({ length: 250 }, () => cache.wrap({ tool: "ask", args: { q: 1 } }, upstream.fn)),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      upstream.release();
      const results = await Promise.all(pending);
      expect(upstream.calls).toBe(1);
      expect(results.every((result) => result.answer === 1)).toBe(true);
      const totals = processes.map(({ cache }) => cache.stats().total);
      expect(totals.reduce((sum, total) => sum + total.misses, 0)).toBe(1);
      expect(totals.reduce((sum, total) => sum + total.coalesced, 0)).toBe(count * 250 - 1);
      const fleetWaits = processes.flatMap(({ events }) =>
        events.filter((event) => event.type === "coalesced" && event.scope === "fleet"),
      );
      expect(fleetWaits).toHaveLength(count - 1);
    });
  }

  it("wakes waiters with the holder's message, long before their poll", async () => {
    const { processes } = await fleet(2, {
      singleFlight: { mode: "fleet", pollMs: 60_000, waitMs: 120_000 },
    });
    const [a, b] = processes;
    if (a === undefined || b === undefined) throw new Error("no process");
    const upstream = slowUpstream();
    const first = a.cache.wrap("k", upstream.fn);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = b.cache.wrap("k", upstream.fn);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const released = performance.now();
    upstream.release();
    expect(await Promise.all([first, waiting])).toEqual([{ answer: 1 }, { answer: 1 }]);
    expect(elapsed(released)).toBeLessThan(5000);
    expect(upstream.calls).toBe(1);
  });

  it("a dead holder's lease frees its waiters within the lease TTL", async () => {
    const { shared, processes } = await fleet(1, { singleFlight: { mode: "fleet", leaseTtlMs: 300 } });
    const [p] = processes;
    if (p === undefined) throw new Error("no process");
    // A process took the lease and died: nobody renews or releases it.
    await shared.run(leaseScripts.acquire, [leaseKeyOf("mcp:~k:k")], ["dead-process:1", 300]);
    const started = performance.now();
    expect(await p.cache.wrap("k", async () => "computed here")).toBe("computed here");
    expect(elapsed(started)).toBeGreaterThanOrEqual(200); // it did wait for the lease
    expect(elapsed(started)).toBeLessThan(5000);
  });

  it("renews the lease while fn runs; past waitMs a waiter calls fn itself", async () => {
    const { processes } = await fleet(2, { singleFlight: { mode: "fleet", leaseTtlMs: 150, waitMs: 600 } });
    const [a, b] = processes;
    if (a === undefined || b === undefined) throw new Error("no process");
    const upstream = slowUpstream();
    const first = a.cache.wrap("k", upstream.fn);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // fn outlives the lease TTL several times over: only renewals keep b waiting until waitMs.
    const started = performance.now();
    expect(await b.cache.wrap("k", async () => ({ answer: 0 }))).toEqual({ answer: 0 });
    expect(elapsed(started)).toBeGreaterThanOrEqual(500);
    upstream.release();
    expect(await first).toEqual({ answer: 1 });
  });

  it("when the holder's fn fails, a waiter takes the lease and calls fn itself", async () => {
    const { processes } = await fleet(2);
    const [a, b] = processes;
    if (a === undefined || b === undefined) throw new Error("no process");
    const gate = deferred<never>();
    const first = a.cache.wrap("k", () => gate.promise);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = b.cache.wrap("k", async () => "b's own");
    gate.reject(new Error("upstream down"));
    await expect(first).rejects.toThrow("upstream down");
    expect(await waiting).toBe("b's own");
  });

  it("never shares an error result: the waiter calls fn itself", async () => {
    const { processes } = await fleet(2);
    const [a, b] = processes;
    if (a === undefined || b === undefined) throw new Error("no process");
    const gate = deferred<{ isError: true; content: [] }>();
    const first = a.cache.wrap("k", () => gate.promise);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = b.cache.wrap("k", async () => ({ ok: "b" }));
    gate.resolve({ isError: true, content: [] });
    await first;
    expect(await waiting).toEqual({ ok: "b" });
  });

  it("a store error while waiting: the waiter calls fn at once", async () => {
    const { processes } = await fleet(2, { singleFlight: { mode: "fleet", pollMs: 50 } });
    const [a, b] = processes;
    if (a === undefined || b === undefined) throw new Error("no process");
    const upstream = slowUpstream();
    const first = a.cache.wrap("k", upstream.fn);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    const waiting = b.cache.wrap("k", async () => ({ answer: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    b.view.setDown(true);
    expect(await waiting).toEqual({ answer: 0 });
    expect(elapsed(started)).toBeLessThan(5000);
    upstream.release();
    await first;
  });

  it("refreshes a stale entry once across processes (stale-while-revalidate)", async () => {
    const { processes } = await fleet(4, { staleTtlMs: 60_000 });
    const upstream = slowUpstream();
    upstream.release();
    const [first] = processes;
    if (first === undefined) throw new Error("no process");
    await first.cache.wrap("k", upstream.fn, { ttlMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // stale now, within its grace window
    const served = await Promise.all(
      processes.flatMap(({ cache }) =>
        Array.from({ length: 10 }, () => cache.wrap("k", upstream.fn, { ttlMs: 20 })),
      ),
    );
    expect(served.every((value) => value.answer === 1)).toBe(true);
    await waitFor("the refresh", () => upstream.calls >= 2, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.calls).toBe(2); // the first call, and one refresh for every process
  });

  it("is the process single-flight on a store that is not shared, and checks its options", async () => {
    const store = memoryStore();
    const cache = createCache({ store, defaultTtlMs: 60_000, singleFlight: "fleet" });
    expect(await cache.wrap("k", async () => 1)).toBe(1);
    expect(await store.get(leaseKeyOf("mcp:~k:k"))).toBeUndefined();
    for (const singleFlight of [
      "everywhere",
      { mode: "process" },
      { mode: "fleet", leaseTtlMs: 0 },
      { mode: "fleet", waitMs: -1 },
      { mode: "fleet", pollMs: Number.NaN },
      null,
    ]) {
      expect(() => createCache({ store, defaultTtlMs: 1000, singleFlight: singleFlight as never })).toThrow(
        /singleFlight/,
      );
    }
  });
});
