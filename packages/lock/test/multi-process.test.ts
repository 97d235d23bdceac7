import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { redisStoreKinds, useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { beforeAll, describe, expect, it } from "vitest";
import { once } from "../src/index";
import { lockKeys } from "../src/keys";
import { freshNamespace } from "./support/namespace";
import { assertNoOverlap, parseEvents } from "./support/overlap";
import { type PhaseReport, type WorkerReport, workerPool } from "./support/workers";

const redis = useRedis();

const WORKERS = 4;
const sum = (phases: PhaseReport[], status: string) =>
  phases.reduce((n, p) => n + (p.counts[status] ?? 0), 0);

// Starting Node processes on a busy 2-core machine takes seconds, not milliseconds.
describe.each(redisStoreKinds(redis))("4 processes on $name", { timeout: 30_000 }, (kind) => {
  const spawnWorker = workerPool();
  const namespace = freshNamespace();
  const events = `events:${randomUUID()}`;
  const sideEffects = `sent:${randomUUID()}`;
  let reports: WorkerReport[];

  // One set of workers per store runs both bursts; each test below checks one of them.
  beforeAll(async () => {
    const options = {
      store: kind.name,
      url: redis().url,
      namespace,
      parties: WORKERS,
      phases: [
        { mode: "lock", resource: "shared", calls: 25, events, barrier: `ready:${randomUUID()}` },
        { mode: "once", resource: "email:u1", calls: 10, sideEffects, barrier: `ready:${randomUUID()}` },
      ],
    };
    reports = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(options)));
    for (const report of reports) expect(report, report.stderr).toMatchObject({ code: 0 });
  }, 60_000);

  it("100 concurrent withLock calls: never two holders at once, tokens grow, each call ran or was busy", async () => {
    const bursts = reports.map((r) => r.phases[0] as PhaseReport);
    const ran = sum(bursts, "ran");
    expect(ran + sum(bursts, "busy")).toBe(100);
    const text = await redisCommand(redis().port, "LRANGE", events, "0", "-1");
    const holders = parseEvents(text.split("\n"));
    expect(assertNoOverlap(holders)).toBe(ran);
    // The processes really contended: holders from several of them.
    expect(new Set(holders.map((e) => e.who)).size).toBeGreaterThan(1);
    expect(ran).toBeGreaterThan(20);
  });

  it("40 concurrent once calls: the side effect runs exactly once, everyone gets its result", async () => {
    const bursts = reports.map((r) => r.phases[1] as PhaseReport);
    expect(await redisCommand(redis().port, "GET", sideEffects)).toBe("1");
    expect(sum(bursts, "ran")).toBe(1);
    expect(sum(bursts, "done")).toBe(39);
    expect(new Set(bursts.flatMap((b) => b.values)).size).toBe(1);
  });

  it("a process that crashes between the side effect and recording it: busy while its lease lives, then unknown — never a second run", async () => {
    const crashSideEffects = `sent:${randomUUID()}`;
    const phase = {
      mode: "crash",
      resource: "charge:c1",
      calls: 1,
      sideEffects: crashSideEffects,
      barrier: `ready:${randomUUID()}`,
    };
    const crashed = await spawnWorker({
      store: kind.name,
      url: redis().url,
      namespace,
      parties: 1,
      phases: [phase],
    });
    expect(crashed.code, crashed.stderr).toBe(3);
    expect(await redisCommand(redis().port, "GET", crashSideEffects)).toBe("1");

    const store = kind.open({ keyPrefix: "" }); // the workers' keys, unprefixed
    const again = () => once(store, "charge:c1", () => "second run", { namespace });
    // The crashed worker's lease (30 s by default) still stands: the attempt may be running.
    expect(await again()).toMatchObject({ status: "busy" });
    // Its lease lapses (cut short here rather than waited for): the outcome is unknown, not rerun.
    const { lock } = lockKeys(namespace, "once", "charge:c1");
    expect(await redisCommand(redis().port, "PEXPIRE", lock, "1")).toBe("1");
    await sleep(20);
    expect(await again()).toMatchObject({ status: "unknown", resource: "charge:c1" });
    expect(await redisCommand(redis().port, "GET", crashSideEffects)).toBe("1");
  });
});
