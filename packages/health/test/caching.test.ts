import { setTimeout as sleep } from "node:timers/promises";
import { type RedisServer, redisCommand, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealth, type HealthCheck, redisCheck } from "../src/index";
import { clientFactories, type TestClient } from "./clients";
import { probe, serve } from "./http";

const PROBES = 50;

/** PINGs the server has executed, as Redis itself counts them. */
async function pingCalls(port: number): Promise<number> {
  const stats = await redisCommand(port, "INFO", "commandstats");
  return Number(stats.match(/cmdstat_ping:calls=(\d+)/)?.[1] ?? 0);
}

describe("probes cannot stampede Redis", () => {
  let redis: RedisServer;
  let test: TestClient;

  beforeAll(async () => {
    redis = await startRedis();
    test = (await clientFactories[0]?.connect(redis.url)) as TestClient;
  });

  afterAll(async () => {
    test?.close();
    await redis?.stop();
  });

  it(`${PROBES} concurrent HTTP probes cost one PING, and the result is reused while fresh`, async () => {
    // A cache far longer than the test, so reuse is shown without racing the clock.
    const health = createHealth({ checks: [redisCheck(test.client)], cacheMs: 60_000 });
    const http = await serve(health.nodeHandler);
    try {
      const before = await pingCalls(redis.port);
      const answers = await Promise.all(Array.from({ length: PROBES }, () => probe(`${http.url}/health`)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(new Set(answers.map((answer) => answer.text)).size).toBe(1); // one reading, shared
      await Promise.all(Array.from({ length: PROBES }, () => probe(`${http.url}/readyz`)));
      expect(await pingCalls(redis.port)).toBe(before + 1);
    } finally {
      await http.close();
    }
  });

  it("pings again once the cached result is older than cacheMs", async () => {
    const health = createHealth({ checks: [redisCheck(test.client)], cacheMs: 100 });
    const before = await pingCalls(redis.port);
    await health.report();
    await sleep(300);
    await health.report();
    expect(await pingCalls(redis.port)).toBe(before + 2);
  });

  it("with cacheMs 0, concurrent callers still share the run in flight", async () => {
    const health = createHealth({ checks: [redisCheck(test.client)], cacheMs: 0 });
    const before = await pingCalls(redis.port);
    await Promise.all(Array.from({ length: PROBES }, () => health.report()));
    expect(await pingCalls(redis.port)).toBe(before + 1);
    await health.report();
    expect(await pingCalls(redis.port)).toBe(before + 2);
  });
});

it("a slow check is run once for every probe that arrives while it runs", async () => {
  let runs = 0;
  let received = 0;
  let releaseCheck = () => {};
  const allArrived = new Promise<void>((resolve) => {
    releaseCheck = resolve;
  });
  const slow: HealthCheck = {
    name: "db",
    timeoutMs: 5000,
    run: async () => {
      runs++;
      await allArrived; // holds the run open until every probe is inside the handler
    },
  };
  const health = createHealth({ checks: [slow], cacheMs: 0 });
  const http = await serve((req, res) => {
    if (++received === PROBES) releaseCheck();
    health.nodeHandler(req, res);
  });
  try {
    const answers = await Promise.all(Array.from({ length: PROBES }, () => probe(`${http.url}/readyz`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(PROBES).fill(200));
    expect(runs).toBe(1);
  } finally {
    await http.close();
  }
});
