import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHttp, SDK_LINES, type TestClient } from "./support/clients";
import {
  expectBusyRecipientRefunded,
  expectMetricsPerCaller,
  expectSearchServedFromCache,
  expectSixthEmailDenied,
} from "./support/scenarios";
import { type ServerProcess, startHttpServer } from "./support/server-process";

// The example over streamable HTTP on each SDK line, driven by that line's real client. The
// callers: on v1 each client is a session of its own; v2 has no sessions, so each client
// authenticates (the example's demo auth: the bearer token names the client).
describe.each(SDK_LINES)("streamable HTTP, SDK %s", (line) => {
  let server: ServerProcess & { mcpUrl: URL; opsUrl: URL };
  const clients: TestClient[] = [];
  const connect = async (token: string) => {
    const client = await connectHttp(line, server.mcpUrl, line === "v2" ? token : undefined);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startHttpServer({ MCP_SDK: line });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    server?.kill();
  });

  it("answers the second identical search_docs call from the cache, as /metrics shows", async () => {
    await expectSearchServedFromCache(await connect("searcher"), server.opsUrl);
  });

  it("keeps each caller's get_metrics to itself", async () => {
    const alice = await connect("alice");
    const bob = await connect("bob");
    const name = (client: { sessionId?: string }, token: string) =>
      line === "v1" ? `session:${client.sessionId}` : `client:${token}`;
    await expectMetricsPerCaller(alice, name(alice, "alice"), bob, name(bob, "bob"));
  });

  it("refuses the sixth send_email in a minute with its retry-after", async () => {
    await expectSixthEmailDenied(line, await connect("carol"));
  });

  it("answers busy to a second send_email to one recipient, and gives its unit back", async () => {
    await expectBusyRecipientRefunded(await connect("dave"));
  });

  it("serves the probes and the metrics on the MCP port", async () => {
    const answers = await Promise.all(
      ["/livez", "/readyz", "/health", "/metrics"].map((path) => fetch(new URL(path, server.opsUrl))),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await answers[2]?.json()).toMatchObject({ status: "pass" });
  });
});

/** The drain did not wait for the stream (it would log shutdown_drain_timeout), and nothing failed. */
function expectStreamClosedNotDrained(server: ServerProcess): void {
  const events = server.log.lines.map((line) => line.event);
  expect(events).not.toContain("shutdown_drain_timeout");
  expect(events).not.toContain("shutdown_step_failed");
  expect(server.log.lines.find((line) => line.event === "shutdown_exit")).toMatchObject({ code: 0 });
}

describe("SIGTERM with an open event stream", () => {
  it("SDK v1: closes the session's GET stream and exits 0", async () => {
    const server = await startHttpServer({ MCP_SDK: "v1" });
    const client = await connectHttp("v1", server.mcpUrl);
    try {
      // The client opened the session's GET stream after initializing: a second one is refused.
      const second = await fetch(server.mcpUrl, {
        headers: {
          accept: "text/event-stream",
          "mcp-session-id": client.sessionId as string,
          "mcp-protocol-version": "2025-11-25",
        },
      });
      expect(second.status).toBe(409);
      server.child.kill("SIGTERM");
      // The contract: exit 0 within 10 s (the guard kills it otherwise, and byItself turns false).
      expect(await server.expectExit()).toEqual({ code: 0, signal: null, byItself: true });
      expectStreamClosedNotDrained(server);
    } finally {
      await client.close().catch(() => {});
      server.kill();
    }
  });

  it("SDK v2: ends the subscriptions/listen stream gracefully and exits 0", async () => {
    const server = await startHttpServer({ MCP_SDK: "v2" });
    const client = await connectHttp("v2", server.mcpUrl, "listener");
    try {
      const subscription = await (client.listen as NonNullable<typeof client.listen>)();
      server.child.kill("SIGTERM");
      expect(await server.expectExit()).toEqual({ code: 0, signal: null, byItself: true });
      expectStreamClosedNotDrained(server);
      expect(await subscription.closed).toBe("graceful");
    } finally {
      await client.close().catch(() => {});
      server.kill();
    }
  });
});
