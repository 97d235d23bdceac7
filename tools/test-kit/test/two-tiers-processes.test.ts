import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type { CacheOptions, ToolCall } from "@mcp-persist/cache-core";
import { redisCommand } from "@mcp-persist/test-redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useBundle, useRedis, waitFor } from "../src/index";

// `createCache({ l1, singleFlight: "fleet" })` across real processes on one real Redis, half of
// them on ioredis and half on node-redis (test/fixtures/cache-worker.ts). Each worker answers
// JSON commands; the test adds up what they report.

/**
 * The coherence bound the README documents: a delete or invalidation in one process reaches
 * every other process's first tier within this long while the channel is up (messages take
 * milliseconds; the rest is slack for a loaded machine).
 */
const COHERENCE_BOUND_MS = 1000;

const redis = useRedis();
const bundle = useBundle(new URL("./fixtures/cache-worker.ts", import.meta.url));

type Reply = Record<string, unknown> & { id: number };

/** One worker process: `send` a command, get its reply. */
class Worker {
  readonly child: ChildProcess;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #next = 1;
  readonly ready: Promise<Reply>;
  stderr = "";

  constructor(args: object) {
    this.child = spawn(process.execPath, [bundle(), JSON.stringify(args)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.ready = new Promise((resolve) => this.#pending.set(0, resolve));
    createInterface({ input: this.child.stdout as NonNullable<ChildProcess["stdout"]> }).on(
      "line",
      (line) => {
        const reply = JSON.parse(line) as Reply;
        const resolve = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        resolve?.(reply);
      },
    );
  }

  send(command: Record<string, unknown>): Promise<Reply> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (reply) =>
        reply.error === undefined ? resolve(reply) : reject(new Error(String(reply.error))),
      );
      this.child.stdin?.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** The value this process serves for `key`; `fresh` is what its `fn` returns on a miss. */
  async read(key: ToolCall, fresh: unknown): Promise<unknown> {
    return (await this.send({ op: "read", key, value: fresh })).value;
  }
}

const started: Worker[] = [];
afterEach(async () => {
  for (const worker of started.splice(0)) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  }
});

/** `count` workers, alternating ioredis and node-redis, on one namespace; resolves once all listen. */
async function workers(count: number, options: Partial<CacheOptions> = {}): Promise<Worker[]> {
  const namespace = `ns-${randomUUID()}`;
  const keyPrefix = `tiers-${randomUUID()}:`;
  const made = Array.from(
    { length: count },
    (_, worker) =>
      new Worker({
        url: redis().url,
        keyPrefix,
        namespace,
        worker,
        client: worker % 2 === 0 ? "ioredis" : "node-redis",
        options,
      }),
  );
  started.push(...made);
  await Promise.all(made.map((worker) => worker.ready));
  await waitFor(
    "every worker listening",
    async () => (await Promise.all(made.map((w) => w.send({ op: "listening" })))).every((r) => r.listening),
    10_000,
  );
  return made;
}

const key = (q: number): ToolCall => ({ tool: "search", args: { q } });

/** Every worker holds `value` for `k` in its first tier (the first computes it, the others read it). */
async function everyoneHolds(all: Worker[], k: ToolCall, value: string): Promise<void> {
  const [first] = all;
  expect(await first?.read(k, value)).toBe(value);
  const l1Hits = async (worker: Worker) =>
    ((await worker.send({ op: "stats" })).stats as { l1Hits: number }).l1Hits;
  for (const worker of all) {
    // Reads until one is served from the first tier (the first read of a worker fills it; a
    // coherence channel that just came up empties it once).
    const before = await l1Hits(worker);
    await waitFor(
      "a first-tier hit",
      async () => {
        expect(await worker.read(k, "recomputed")).toBe(value);
        return (await l1Hits(worker)) > before;
      },
      5000,
    );
  }
}

for (const count of [2, 4]) {
  describe(`${count} processes on one Redis (ioredis and node-redis)`, () => {
    it("after a delete or an invalidation in one process, no other serves the old value past the bound", async () => {
      const all = await workers(count);
      const [writer, ...others] = all as [Worker, ...Worker[]];
      await everyoneHolds(all, key(1), "v1");
      await writer.send({ op: "delete", key: key(1) });
      await sleep(COHERENCE_BOUND_MS);
      for (const worker of others) expect(await worker.read(key(1), "after delete")).not.toBe("v1");

      await everyoneHolds(all, key(2), "v2");
      await writer.send({ op: "invalidateTool", tool: "search" });
      await sleep(COHERENCE_BOUND_MS);
      for (const worker of others) expect(await worker.read(key(2), "after invalidation")).not.toBe("v2");
    }, 60_000);

    it("with the coherence connection killed, staleness stays within l1.ttlMs, and coherence comes back", async () => {
      const l1TtlMs = 3000;
      const all = await workers(count, { l1: { ttlMs: l1TtlMs } });
      const [writer, ...others] = all as [Worker, ...Worker[]];
      await everyoneHolds(all, key(1), "v1");
      await redisCommand(redis().port, "CLIENT", "KILL", "TYPE", "pubsub");
      await writer.send({ op: "delete", key: key(1) }); // its message may reach nobody
      await sleep(l1TtlMs + COHERENCE_BOUND_MS);
      for (const worker of others) expect(await worker.read(key(1), "after delete")).not.toBe("v1");
      // Coherence is back: the next delete reaches every first tier long before l1.ttlMs.
      await waitFor(
        "every worker listening again",
        async () =>
          (await Promise.all(all.map((w) => w.send({ op: "listening" })))).every((r) => r.listening),
        10_000,
      );
      await everyoneHolds(all, key(2), "v2");
      await writer.send({ op: "delete", key: key(2) });
      await sleep(COHERENCE_BOUND_MS);
      for (const worker of others) expect(await worker.read(key(2), "after delete")).not.toBe("v2");
    }, 60_000);

    it("with Redis killed, first tiers keep serving fresh entries and misses call fn", async () => {
      const all = await workers(count, { l1: { ttlMs: 30_000 } });
      await everyoneHolds(all, key(1), "v1");
      await redis().kill();
      try {
        for (const [i, worker] of all.entries()) {
          expect(await worker.read(key(1), "fn")).toBe("v1");
          expect(await worker.read(key(100 + i), `fn ${i}`)).toBe(`fn ${i}`);
        }
        // Past generationRefreshMs (1 s), when the generations cannot be read again: still served.
        await sleep(1500);
        for (const worker of all) expect(await worker.read(key(1), "fn")).toBe("v1");
      } finally {
        await redis().restart();
      }
    }, 60_000);

    it("a lease holder SIGKILLed mid-call frees its waiters within the lease TTL; one of them computes", async () => {
      const leaseTtlMs = 1000;
      const all = await workers(count, { singleFlight: { mode: "fleet", leaseTtlMs } });
      const [holder, ...waiters] = all as [Worker, ...Worker[]];
      const holding = await holder.send({ op: "hang", key: key(1) });
      expect(holding.holding).toBe(true);
      const waiting = waiters.map((worker) =>
        worker.send({ op: "stampede", key: key(1), count: 100, holdMs: 50 }),
      );
      await sleep(100);
      holder.child.kill("SIGKILL");
      const killedAt = performance.now();
      const results = await Promise.all(waiting);
      expect(performance.now() - killedAt).toBeLessThan(leaseTtlMs + 5000);
      expect(results.reduce((sum, result) => sum + (result.upstream as number), 0)).toBe(1);
    }, 60_000);

    it(`${count} processes × 1000 concurrent cold calls on one key make exactly 1 upstream call`, async () => {
      const all = await workers(count);
      const results = await Promise.all(
        all.map((worker) => worker.send({ op: "stampede", key: key(1), count: 1000, holdMs: 300 })),
      );
      expect(results.reduce((sum, result) => sum + (result.upstream as number), 0)).toBe(1);
      expect(results.every((result) => result.distinct === 1)).toBe(true);
    }, 60_000);

    it("10,000 random calls from random callers across processes: none served another caller's result", async () => {
      const all = await workers(count, { generationRefreshMs: 50, l1: { ttlMs: 2000 } });
      const callers = Array.from({ length: 12 }, (_, i) => `caller-${i}`);
      const results = await Promise.all(
        all.map((worker, i) =>
          worker.send({ op: "random", calls: 10_000 / count, callers, questions: 8, seed: 1000 + i }),
        ),
      );
      expect(results.map((result) => result.violations)).toEqual(all.map(() => 0));
      const stats = results.map((result) => result.stats as { hits: number; l1Hits: number });
      expect(stats.reduce((sum, s) => sum + s.l1Hits, 0)).toBeGreaterThan(0);
      expect(stats.reduce((sum, s) => sum + (s.hits - s.l1Hits), 0)).toBeGreaterThan(0);
    }, 120_000);
  });
}
