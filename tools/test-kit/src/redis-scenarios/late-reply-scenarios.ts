import { randomUUID } from "node:crypto";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { timeSettled, waitFor } from "../support/wait-for";
import { codeOf, type RedisStoreKit } from "./redis-store-kit";

const { incrWithTtl } = sampleScripts;

/** The stores' default per-call deadline: these scenarios are about default-configured stores. */
const DEFAULT_TIMEOUT_MS = 250;

/** Keeps the event loop busy for `ms`: what a CPU-bound handler, or a saturated core, does to it. */
function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: no timer, no socket read can run meanwhile
  }
}

/**
 * What a default store does with replies that come after its deadline passed: a reply Redis sent
 * in time but the blocked event loop could not read is still a success; a reply from a server
 * that was frozen past the deadline reaches `onLateReply`, so a capability can undo what it took.
 */
export function lateReplyScenarios(kit: RedisStoreKit): void {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  afterEach(() => server.thaw());

  describe("the event loop blocked past the deadline, Redis healthy", () => {
    it("every call sent just before the block succeeds: its reply was waiting to be read", async () => {
      const store = kit.created(server.url);
      try {
        await store.ping();
        const key = `n:${randomUUID()}`;
        await store.set(key, "0", 60_000);
        const calls = [
          store.run(incrWithTtl, [key], [1, 60_000]),
          store.get(key),
          store.set(`${key}:other`, "v", 60_000),
          store.delete(`${key}:missing`),
          store.ping(),
        ];
        blockEventLoop(3 * DEFAULT_TIMEOUT_MS);
        const settled = await Promise.allSettled(calls);
        expect(settled.map((s) => (s.status === "rejected" ? codeOf(s.reason) : "ok"))).toEqual(
          Array(calls.length).fill("ok"),
        );
        expect(await store.get(key)).toBe("1");
      } finally {
        await store.close();
      }
    });

    it("Redis frozen as well: the call still times out, a bounded time after the loop came back", async () => {
      const store = kit.created(server.url);
      try {
        await store.ping();
        server.freeze();
        const call = timeSettled(store.get("k"));
        blockEventLoop(2 * DEFAULT_TIMEOUT_MS);
        const { ms, error } = await call;
        expect(codeOf(error)).toBe("ERR_STORE_TIMEOUT");
        // The grant for the starved time is at most one more deadline: far from a client's patience.
        expect(ms).toBeLessThan(2000);
      } finally {
        server.thaw();
        await store.close();
      }
    });
  });

  describe("Redis frozen past the deadline", () => {
    it("a script Redis runs after the store gave up reaches onLateReply once, mapped like a reply", async () => {
      const store = kit.created(server.url);
      try {
        await store.ping();
        const key = `n:${randomUUID()}`;
        const late: unknown[] = [];
        server.freeze();
        const reported = store.run(incrWithTtl, [key], [5, 60_000], { onLateReply: (n) => late.push(n) });
        // A callback that throws does not become an unhandled rejection (vitest fails the run on one).
        const throwing = store.run(incrWithTtl, [key], [1, 60_000], {
          onLateReply: () => {
            throw new Error("a late-reply callback that throws");
          },
        });
        const unreported = store.run(incrWithTtl, [key], [10, 60_000]);
        const settled = await Promise.all([reported, throwing, unreported].map(timeSettled));
        expect(settled.map(({ error }) => codeOf(error))).toEqual(Array(3).fill("ERR_STORE_TIMEOUT"));
        expect(late).toEqual([]);
        server.thaw();
        await waitFor("the late reply", () => late.length > 0);
        expect(late).toEqual([5]);
        // All three ran, late; only the first asked to hear about it.
        expect(await store.get(key)).toBe("16");
        expect(late).toEqual([5]);
      } finally {
        await store.close();
      }
    });
  });
}
