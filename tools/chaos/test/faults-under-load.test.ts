import { randomUUID } from "node:crypto";
import { once, withLock } from "@mcp-persist/lock";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { startTcpProxy, type TcpProxy, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { useWorkers } from "./support/workers";
import { type Fault, overlappingHolds, recoveryMs, summarize } from "./support/workload";

// Three worker processes run cache, rate-limit, lock and once calls at once, through a TCP proxy,
// against one real Redis, while the test SIGKILLs it (and restarts it on the same port), freezes
// it with SIGSTOP for two seconds, and cuts every connection mid-command, twice. The stores keep
// their default deadline (250 ms); nothing is tuned for the test.

const redis = useRedis();
const WORKERS = 3;
const RUN_MS = 16_000;
const RESOURCES = ["charge-card", "send-email", "sync-ledger", "rebuild-index"];
/**
 * A bound, not a measure: a call may take the store deadline (250 ms) plus what a shared, busy
 * 2-core machine adds. Client defaults without a deadline wait tens of seconds in these faults.
 */
const WORST_CALL_BOUND_MS = 2000;
/** Each fault's degraded window after it ended must close within this: recovery, not a hang. */
const RECOVERY_BOUND_MS = 10_000;

const runWorkers = useWorkers();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kills, freezes and cuts on a fixed schedule while the workers run; returns what it did, when. */
async function applyFaults(proxy: TcpProxy, started: number): Promise<Fault[]> {
  const faults: Fault[] = [];
  const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));
  await at(2500);
  let from = Date.now();
  await redis().kill();
  await sleep(1000);
  await redis().restart();
  faults.push({ name: "kill", from, to: Date.now() });
  await at(6500);
  from = Date.now();
  redis().freeze();
  await sleep(2000);
  redis().thaw();
  faults.push({ name: "freeze", from, to: Date.now() });
  for (const ms of [10_500, 12_500]) {
    await at(ms);
    proxy.cut();
    faults.push({ name: "cut", from: Date.now(), to: Date.now() });
  }
  return faults;
}

describe.each(["ioredis", "node-redis"] as const)("faults under mixed load on %s", (client) => {
  it("no failed cache call, every decision bounded, no two lock holders, nothing left behind, every worker exits by itself", async () => {
    const proxy = await startTcpProxy(redis().port);
    const keyPrefix = `chaos-${randomUUID()}:`;
    try {
      const started = Date.now();
      const running = runWorkers(WORKERS, {
        url: proxy.url,
        client,
        keyPrefix,
        durationMs: RUN_MS,
        lanes: 4,
        pauseMs: 5,
        resources: RESOURCES,
      });
      const faults = await applyFaults(proxy, started);
      const reports = await running;
      const calls = reports.flatMap((report) => report.calls);
      const summary = summarize(calls);
      const recovery = recoveryMs(calls, faults, started + RUN_MS);
      const overlaps = overlappingHolds(
        reports.flatMap((report) => report.holds),
        faults,
      );
      const gaveUp = reports.flatMap((report) => report.onceGaveUp);
      console.log(
        `[chaos] ${client}: ${calls.length} calls in ${RUN_MS / 1000} s by ${WORKERS} processes through ${faults
          .map((fault) => fault.name)
          .join(
            ", ",
          )}; ${JSON.stringify(summary)}; recovery after each fault (ms) ${JSON.stringify(recovery)}; ${
          reports.flatMap((report) => report.holds).length
        } lock holds, ${overlaps.length} overlapping; ${gaveUp.length} once calls gave up`,
      );

      expect(reports.map((report) => report.unhandled)).toEqual(reports.map(() => 0));
      // The cache: every call got the tool's own value, none failed, each within the bound.
      expect(summary.cache.outcomes).toEqual({ ok: summary.cache.calls });
      expect(summary.cache.worstMs).toBeLessThanOrEqual(WORST_CALL_BOUND_MS);
      // Rate limits: always a decision (Redis's, or `degraded` while it is away), within the bound.
      expect(Object.keys(summary.limit.outcomes).sort()).toEqual(
        expect.arrayContaining(
          Object.keys(summary.limit.outcomes).filter((o) => o === "ok" || o === "degraded"),
        ),
      );
      expect(Object.keys(summary.limit.outcomes).every((o) => o === "ok" || o === "degraded")).toBe(true);
      expect(summary.limit.worstMs).toBeLessThanOrEqual(WORST_CALL_BOUND_MS);
      // Locks and once: their documented answers, or a refusal while the store is away.
      const refused = "threw ERR_LOCK_UNAVAILABLE";
      expect(Object.keys(summary.lock.outcomes).every((o) => ["ran", "busy", refused].includes(o))).toBe(
        true,
      );
      expect(
        Object.keys(summary.once.outcomes).every((o) => ["ran", "busy", "unknown", refused].includes(o)),
      ).toBe(true);
      expect(overlaps).toEqual([]);
      // The workload really ran through the faults and really was refused during them.
      expect(summary.cache.calls).toBeGreaterThan(1000);
      expect(summary.lock.outcomes.ran).toBeGreaterThan(100);
      expect(summary.limit.outcomes.degraded).toBeGreaterThan(0);
      for (const ms of recovery) expect(ms).toBeLessThanOrEqual(RECOVERY_BOUND_MS);

      // Nothing left behind: every lock is free at once, every once call that gave up before its
      // function ran runs now (no stale mark answering `busy` or `unknown`).
      const { hostname } = new URL(redis().url);
      const check = ioredisStore({ connection: { host: hostname, port: redis().port, keyPrefix } });
      try {
        for (const resource of RESOURCES) {
          const result = await withLock(check, resource, () => "free", { waitMs: 0 });
          expect(result.status, resource).toBe("ran");
        }
        for (const { key } of gaveUp) {
          const result = await once(check, key, () => "ran now");
          expect(result.status, key).toBe("ran");
        }
      } finally {
        await check.close();
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
