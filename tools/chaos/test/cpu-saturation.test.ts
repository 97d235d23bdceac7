import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { useWorkers } from "./support/workers";
import { summarize } from "./support/workload";

// A healthy Redis, and every core pinned by busy-looping processes while three worker processes
// run the mixed workload: replies now wait for a starved event loop, not for Redis. A deadline
// that fires on a reply already waiting in the socket would declare a healthy store away — cache
// calls falling through, limits answering `degraded`, locks refused. None of that may happen.

const redis = useRedis();
const RUN_MS = 10_000;
const runWorkers = useWorkers();

/** One busy-looping process per core, each ending itself after `ms` (and killed by its pid after). */
function pinCores(ms: number): () => void {
  const hogs = Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ["-e", `const end = Date.now() + ${ms}; while (Date.now() < end);`], {
      stdio: "ignore",
    }),
  );
  return () => {
    for (const hog of hogs)
      if (hog.exitCode === null && hog.pid !== undefined) process.kill(hog.pid, "SIGKILL");
  };
}

describe.each(["ioredis", "node-redis"] as const)("every core pinned, Redis healthy, on %s", (client) => {
  it("no store is declared away: no cache fall-through, no degraded decision, no lock refused", async () => {
    const release = pinCores(RUN_MS + 2000);
    try {
      const reports = await runWorkers(3, {
        url: redis().url,
        client,
        keyPrefix: `saturated-${randomUUID()}:`,
        durationMs: RUN_MS,
        lanes: 4,
        pauseMs: 5,
        resources: ["a", "b", "c", "d"],
      });
      const summary = summarize(reports.flatMap((report) => report.calls));
      const falseTimeouts = {
        cache: reports.reduce((sum, report) => sum + report.cacheStoreErrors, 0),
        limit: summary.limit.outcomes.degraded ?? 0,
        lock: summary.lock.outcomes["threw ERR_LOCK_UNAVAILABLE"] ?? 0,
        once: summary.once.outcomes["threw ERR_LOCK_UNAVAILABLE"] ?? 0,
      };
      console.log(
        `[chaos] ${client}, ${availableParallelism()} cores pinned: ${summary.cache.calls + summary.limit.calls + summary.lock.calls + summary.once.calls} calls; false timeouts ${JSON.stringify(falseTimeouts)}; worst call ms ${JSON.stringify(
          {
            cache: summary.cache.worstMs,
            limit: summary.limit.worstMs,
            lock: summary.lock.worstMs,
            once: summary.once.worstMs,
          },
        )}`,
      );
      expect(summary.cache.calls).toBeGreaterThan(200);
      expect(summary.lock.outcomes.ran).toBeGreaterThan(20);
      expect(falseTimeouts).toEqual({ cache: 0, limit: 0, lock: 0, once: 0 });
      expect(summary.cache.outcomes).toEqual({ ok: summary.cache.calls });
    } finally {
      release();
    }
  }, 120_000);
});
