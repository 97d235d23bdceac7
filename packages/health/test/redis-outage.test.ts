import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealth, type HealthReport, redisCheck } from "../src/index";
import { clientFactories, type TestClient } from "./clients";
import { type Probe, probe, serve, waitFor } from "./http";

function report(probed: Probe): HealthReport {
  return JSON.parse(probed.text) as HealthReport;
}

describe.each(clientFactories)("a Redis outage seen through $name", ({ connect }) => {
  let redis: RedisServer;
  let test: TestClient;
  let http: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    redis = await startRedis();
    test = await connect(redis.url);
    // The same client checked twice: critical at the default paths, non-critical under /optional.
    const critical = createHealth({
      checks: [redisCheck(test.client, { timeoutMs: 1000 })],
      cacheMs: 0,
      serviceId: "outage-test",
    });
    const optional = createHealth({
      checks: [redisCheck(test.client, { timeoutMs: 1000, critical: false, componentId: "cache" })],
      cacheMs: 0,
      paths: { live: "/optional/livez", ready: "/optional/readyz", health: "/optional/health" },
    });
    http = await serve((req, res) => critical.handleNode(req, res) || optional.nodeHandler(req, res));
  });

  afterAll(async () => {
    await http?.close();
    test?.close();
    await redis?.stop();
  });

  it("goes pass → fail (critical) / warn (non-critical) → pass, and /livez stays 200", async () => {
    const health = await probe(`${http.url}/health`);
    expect(health.status).toBe(200);
    expect(health.contentType).toBe("application/health+json");
    expect(health.cacheControl).toBe("no-store");
    const passing = report(health);
    expect(passing).toMatchObject({ status: "pass", serviceId: "outage-test" });
    expect(passing.checks["redis:responseTime"]).toEqual([
      {
        componentType: "datastore",
        observedValue: expect.any(Number),
        observedUnit: "ms",
        status: "pass",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    ]);
    expect(await probe(`${http.url}/readyz`)).toMatchObject({ status: 200, text: "ok\n" });
    expect(report(await probe(`${http.url}/optional/health`)).status).toBe("pass");

    await redis.kill();

    await waitFor(
      () => probe(`${http.url}/health`),
      (p) => p.status === 503,
    );
    // One more probe, now that the client knows the connection is gone: it must fail fast
    // (the client's rejection), not by running into the check's timeout.
    const failing = report(await probe(`${http.url}/health`));
    expect(failing.status).toBe("fail");
    const [redisResult] = failing.checks["redis:responseTime"] ?? [];
    expect(redisResult).toMatchObject({ status: "fail", observedUnit: "ms", output: expect.any(String) });
    expect(redisResult?.output).not.toContain("timed out");
    expect(redisResult?.observedValue).toBeLessThan(1000);
    const notReady = await probe(`${http.url}/readyz`);
    expect(notReady).toMatchObject({ status: 503, text: "not ready: failing redis:responseTime\n" });

    const degraded = await probe(`${http.url}/optional/health`);
    expect(degraded.status).toBe(200);
    expect(report(degraded)).toMatchObject({
      status: "warn",
      checks: {
        "redis:responseTime": [{ componentId: "cache", status: "warn", output: expect.any(String) }],
      },
    });
    expect(await probe(`${http.url}/optional/readyz`)).toMatchObject({
      status: 200,
      text: "ok (warn: redis:responseTime)\n",
    });
    expect((await probe(`${http.url}/livez`)).status).toBe(200);

    await redis.restart();

    const recovered = await waitFor(
      () => probe(`${http.url}/health`),
      (p) => p.status === 200,
    );
    expect(report(recovered).status).toBe("pass");
    expect(report(recovered).checks["redis:responseTime"]?.[0]).not.toHaveProperty("output");
    expect(await probe(`${http.url}/readyz`)).toMatchObject({ status: 200, text: "ok\n" });
    expect(report(await probe(`${http.url}/optional/health`)).status).toBe("pass");
    expect((await probe(`${http.url}/livez`)).status).toBe(200);
  });
});
