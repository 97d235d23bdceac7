import { setTimeout as sleep } from "node:timers/promises";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealth, HealthCheckTimeoutError, type HealthReport, redisCheck } from "../src/index";
import { clientFactories, type TestClient } from "./clients";
import { probe, serve, waitFor } from "./http";

describe.each(clientFactories)("a frozen Redis (SIGSTOP) seen through $name", ({ connect }) => {
  let redis: RedisServer;
  let test: TestClient;
  let http: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    redis = await startRedis();
    test = await connect(redis.url);
    const health = createHealth({ checks: [redisCheck(test.client, { timeoutMs: 300 })], cacheMs: 0 });
    http = await serve(health.nodeHandler);
  });

  afterAll(async () => {
    await http?.close();
    test?.close();
    await redis?.stop();
  });

  it("fails within the check's timeout while frozen, and passes again after thaw", async () => {
    expect((await probe(`${http.url}/health`)).status).toBe(200);
    redis.freeze();
    try {
      const started = Date.now();
      const frozen = await probe(`${http.url}/health`);
      // Neither client gives up on its own for seconds (node-redis: never once written; ioredis:
      // no command timeout), so an answer well under 2 s is the check's 300 ms timeout at work.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(frozen.status).toBe(503);
      const body = JSON.parse(frozen.text) as HealthReport;
      expect(body.checks["redis:responseTime"]?.[0]).toMatchObject({
        status: "fail",
        output: '[@mcp-persist/health] check "redis" timed out after 300 ms',
      });
      expect(body.checks["redis:responseTime"]?.[0]?.observedValue).toBeGreaterThanOrEqual(290);
      expect((await probe(`${http.url}/readyz`)).status).toBe(503);
      expect((await probe(`${http.url}/livez`)).status).toBe(200);
    } finally {
      redis.thaw();
    }
    await waitFor(
      () => probe(`${http.url}/health`),
      (p) => p.status === 200,
    );
  });
});

describe("custom checks", () => {
  it("a hanging check fails (critical) or warns (non-critical) within its timeout, and is aborted", async () => {
    let aborted: unknown;
    const hang = (signal: AbortSignal) =>
      new Promise(() => {
        signal.addEventListener("abort", () => {
          aborted = signal.reason;
        });
      });
    const health = createHealth({
      checks: [
        { name: "postgres", componentId: "primary", timeoutMs: 200, run: hang },
        { name: "search", critical: false, timeoutMs: 200, run: () => new Promise(() => {}) },
      ],
    });
    const http = await serve(health.nodeHandler);
    try {
      const started = Date.now();
      const answer = await probe(`${http.url}/health`);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text)).toMatchObject({
        status: "fail",
        checks: {
          "postgres:responseTime": [
            {
              componentId: "primary",
              status: "fail",
              output: expect.stringContaining("timed out after 200 ms"),
            },
          ],
          "search:responseTime": [
            { status: "warn", output: expect.stringContaining("timed out after 200 ms") },
          ],
        },
      });
      expect(aborted).toBeInstanceOf(HealthCheckTimeoutError);
      expect(aborted).toMatchObject({
        code: "ERR_HEALTH_CHECK_TIMEOUT",
        name: "HealthCheckTimeoutError",
        check: "postgres",
        timeoutMs: 200,
      });
    } finally {
      await http.close();
    }
  });

  it("a throwing check reports its error; only the non-critical one keeps the service up", async () => {
    const boom = () => {
      throw new Error("connection refused");
    };
    const critical = await createHealth({ checks: [{ name: "db", run: boom }] }).report();
    expect(critical).toMatchObject({
      status: "fail",
      checks: { "db:responseTime": [{ status: "fail", output: "connection refused" }] },
    });
    const optional = await createHealth({ checks: [{ name: "db", critical: false, run: boom }] }).report();
    expect(optional.status).toBe("warn");
  });

  it("a check that throws what String() cannot print still fails with a readable output (found by tools/fuzz)", async () => {
    const unprintable: [unknown, string][] = [
      [Object.create(null), "an object with keys []"],
      [{ toString: () => ({}) }, "an object with keys [toString]"],
      [Symbol("down"), "Symbol(down)"],
      ["refused", "refused"],
    ];
    for (const [thrown, output] of unprintable) {
      for (const run of [
        () => {
          throw thrown;
        },
        () => Promise.reject(thrown),
      ]) {
        const health = createHealth({ checks: [{ name: "db", run }] });
        expect(await health.report()).toMatchObject({
          status: "fail",
          checks: { "db:responseTime": [{ status: "fail", output }] },
        });
        const response = await health.fetch(new Request("http://h/health"));
        expect(response.status).toBe(503);
        expect(response.headers.get("content-type")).toContain("application/health+json");
      }
    }
  });

  it("an outcome's output that is not a string is described, so health+json keeps a string there", async () => {
    const outputs: [unknown, string][] = [
      [{ detail: "pool full" }, "an object with keys [detail]"],
      [90, "90"],
      [Object.create(null), "an object with keys []"],
    ];
    for (const [output, text] of outputs) {
      const report = await createHealth({
        checks: [{ name: "pool", run: () => ({ status: "warn", output }) }],
      }).report();
      expect(report.checks["pool:responseTime"]?.[0]).toMatchObject({ status: "warn", output: text });
    }
  });

  it("a slow answer above warnAfterMs warns; an explicit outcome sets the status", async () => {
    const health = createHealth({
      checks: [
        { name: "slow", warnAfterMs: 50, timeoutMs: 2000, run: () => sleep(150) },
        {
          name: "pool",
          measurement: "utilization",
          run: () => ({ status: "warn", output: "90% of connections in use" }),
        },
        { name: "queue", critical: false, run: () => ({ status: "fail", output: "backlog" }) },
        { name: "ping", run: () => ({ status: 200 }) }, // not an outcome: a numeric status is ignored
      ],
    });
    const result = await health.report();
    expect(result.status).toBe("warn");
    expect(result.checks["slow:responseTime"]?.[0]).toMatchObject({
      status: "warn",
      output: expect.stringMatching(/^responded in \d+ ms, above warnAfterMs \(50 ms\)$/),
    });
    expect(result.checks["slow:responseTime"]?.[0]?.observedValue).toBeGreaterThanOrEqual(140);
    expect(result.checks["pool:utilization"]?.[0]).toMatchObject({
      status: "warn",
      output: "90% of connections in use",
    });
    expect(result.checks["queue:responseTime"]?.[0]).toMatchObject({ status: "warn", output: "backlog" });
    expect(result.checks["ping:responseTime"]?.[0]?.status).toBe("pass");
  });
});
