import { useRedis } from "@mcp-persist/test-kit";
import { afterAll, beforeAll, describe, it } from "vitest";
import { connectHttp, connectStdio, type SdkLine, type TestClient } from "./support/clients";
import { expectMetricsPerCaller, expectSearchServedFromCache } from "./support/scenarios";
import { type ServerProcess, startHttpServer } from "./support/server-process";

const redis = useRedis();

// Two server processes sharing one Redis through REDIS_URL and STORE, nothing else changed: one on
// streamable HTTP, one on stdio. Each Redis store once, each SDK line once.
const SETUPS: { store: "ioredis" | "node-redis"; line: SdkLine }[] = [
  { store: "ioredis", line: "v1" },
  { store: "node-redis", line: "v2" },
];

describe.each(SETUPS)("two processes on one Redis: STORE=$store, SDK $line", ({ store, line }) => {
  let http: ServerProcess & { mcpUrl: URL; opsUrl: URL };
  let httpClient: TestClient & { sessionId?: string };
  let stdioClient: TestClient;
  let stdioOps: URL;

  beforeAll(async () => {
    const env = { MCP_SDK: line, REDIS_URL: redis().url, STORE: store };
    const [server, stdio] = await Promise.all([
      startHttpServer(env),
      connectStdio(line, { ...env, MCP_CALLER: "bob", HEALTH_PORT: "0" }),
    ]);
    http = server;
    stdioClient = stdio;
    stdioOps = new URL(`http://127.0.0.1:${(await stdio.log.next("ops_listening")).port}/`);
    httpClient = await connectHttp(line, http.mcpUrl, line === "v2" ? "alice" : undefined);
  });
  afterAll(async () => {
    await Promise.all([httpClient?.close().catch(() => {}), stdioClient?.close()]);
    http?.kill();
  });

  it("answers search_docs in the second process from the first one's cache entry", async () => {
    await expectSearchServedFromCache(httpClient, http.opsUrl, stdioClient, stdioOps);
  });

  it("never hands one caller's get_metrics to the other through the shared cache", async () => {
    const alice = line === "v1" ? `session:${httpClient.sessionId}` : "client:alice";
    await expectMetricsPerCaller(httpClient, alice, stdioClient, "client:bob");
  });
});
