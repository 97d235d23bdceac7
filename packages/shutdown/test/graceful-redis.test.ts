import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LogLine, listeningPort, startFixture, stopFixtures } from "./support/fixture-process";

// A real MCP server (child process) with a real ioredis client on a real redis-server, a real
// MCP client making 100 concurrent tool calls, and a real SIGTERM while all of them are running.
// Each call buffers one write and answers "ok <key>"; the buffer hands its writes to the
// client when it closes, and the client's close has to deliver them.

const CALLS = 100;

interface Run {
  code: number | null;
  /** Keys of the calls that were answered "ok". */
  acknowledged: string[];
  /** How many of those keys Redis holds after the server exited. */
  stored: number;
  /** Everything the server logged on stderr, in order. */
  logs: LogLine[];
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await stopFixtures();
  await redis?.stop();
});

async function sigtermDuringToolCalls(env: Record<string, string> = {}): Promise<Run> {
  // HOLD_TOOLS: every call waits for the shutdown to begin, so all 100 are in flight at the signal.
  const server = startFixture("mcp-http-server.mjs", {
    REDIS_URL: redis.url,
    HOLD_TOOLS: "1",
    ANNOUNCE_AT: String(CALLS),
    ...env,
  });
  const client = new Client({ name: "shutdown-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${await listeningPort(server)}/mcp`)),
  );
  const calls = Array.from({ length: CALLS }, () => client.callTool({ name: "record", arguments: {} }));
  await server.waitFor((event) => event.event === "in-flight");
  server.signal("SIGTERM");
  const { code } = await server.exited;
  // Closing the client settles whatever the server never answered (it rejects those calls).
  await client.close();
  const results = await Promise.allSettled(calls);

  const acknowledged = results.flatMap((result) => {
    if (result.status !== "fulfilled") return [];
    const [first] = result.value.content as { type: string; text?: string }[];
    return /^ok (\S+)$/.exec(first?.text ?? "")?.[1] ?? [];
  });
  const reader = new Redis(redis.url);
  const stored = acknowledged.length === 0 ? 0 : await reader.exists(...acknowledged);
  await reader.quit();
  return { code, acknowledged, stored, logs: server.logs };
}

const position = (logs: LogLine[], match: (line: LogLine) => boolean) => logs.findIndex(match);
const lastPosition = (logs: LogLine[], match: (line: LogLine) => boolean) => logs.findLastIndex(match);
const phaseLine = (phase: string, edge: "started" | "finished") => (line: LogLine) =>
  line.msg === `shutdown phase ${phase} ${edge}`;
const fixtureEvent = (event: string) => (line: LogLine) => line.name === "fixture" && line.event === event;

describe("SIGTERM during 100 in-flight tool calls, stores closed with their draining close", () => {
  let run: Run;
  beforeAll(async () => {
    run = await sigtermDuringToolCalls();
  }, 30_000);

  it("answers every call that was in flight, then exits 0", () => {
    expect(run.acknowledged).toHaveLength(CALLS);
    expect(run.code).toBe(0);
  });

  it("leaves every acknowledged write in Redis", () => {
    expect(run.acknowledged).toHaveLength(CALLS);
    expect(run.stored).toBe(CALLS);
  });

  it("logs the phases in their documented order, and the exit last", () => {
    const shutdownLogs = run.logs.filter((line) => line.name === "@mcp-persist/shutdown");
    expect(shutdownLogs.map((line) => line.msg)).toEqual([
      "shutdown started (SIGTERM)",
      ...["not-ready", "delay", "stop-accepting", "drain", "close-transports", "close-stores"].flatMap(
        (phase) => [`shutdown phase ${phase} started`, `shutdown phase ${phase} finished`],
      ),
      "shutdown finished; exiting with code 0",
    ]);
    expect(shutdownLogs[0]).toMatchObject({ reason: "SIGTERM", inFlight: CALLS, servers: 1, stores: 2 });
  });

  it("does each piece of work inside its phase", () => {
    const { logs } = run;
    // Drain waited for every call to finish.
    expect(lastPosition(logs, fixtureEvent("tool-done"))).toBeLessThan(
      position(logs, phaseLine("drain", "finished")),
    );
    // The session's transport closed in close-transports.
    const transportClosed = position(logs, fixtureEvent("transport-closed"));
    expect(transportClosed).toBeGreaterThan(position(logs, phaseLine("close-transports", "started")));
    expect(transportClosed).toBeLessThan(position(logs, phaseLine("close-transports", "finished")));
    // Stores closed newest first: the buffer (registered last) flushed before the client ended.
    const flushed = position(logs, fixtureEvent("write-behind-flushed"));
    expect(flushed).toBeGreaterThan(position(logs, phaseLine("close-stores", "started")));
    expect(logs[flushed]).toMatchObject({ records: CALLS });
    expect(position(logs, fixtureEvent("redis-end"))).toBeGreaterThan(flushed);
    expect(position(logs, fixtureEvent("redis-end"))).toBeLessThan(
      position(logs, phaseLine("close-stores", "finished")),
    );
    expect(logs.some(fixtureEvent("write-failed"))).toBe(false);
  });
});

describe("the same workload with a dropping disconnect() in place of the draining close", () => {
  let run: Run;
  beforeAll(async () => {
    run = await sigtermDuringToolCalls({ STORE_CLOSE: "disconnect" });
  }, 30_000);

  it("still answers every call and exits 0: nothing looks wrong", () => {
    expect(run.acknowledged).toHaveLength(CALLS);
    expect(run.code).toBe(0);
  });

  it("loses the acknowledged writes that were still queued in the client", () => {
    // disconnect() drops what the client has not written to its socket yet: here every buffered
    // write, queued for the next auto-pipeline flush. The process exits before the client even
    // rejects them, so nothing is logged either.
    expect(run.stored).toBeLessThan(run.acknowledged.length);
    expect(run.stored).toBe(0);
  });
});
