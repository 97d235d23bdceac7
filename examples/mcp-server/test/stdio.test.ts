import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStdio, listToolsOverPipe, SDK_LINES, type TestClient } from "./support/clients";
import {
  expectBusyRecipientRefunded,
  expectMetricsPerCaller,
  expectSearchServedFromCache,
  expectSixthEmailDenied,
} from "./support/scenarios";
import { spawnServer } from "./support/server-process";

// The example over stdio on each SDK line, driven by that line's real client and stdio transport,
// which spawn it as an MCP client configuration would. One caller per process: alice and bob.
describe.each(SDK_LINES)("stdio, SDK %s", (line) => {
  let alice: TestClient;
  let bob: TestClient;
  let opsUrl: URL;

  beforeAll(async () => {
    const [a, b] = await Promise.all([
      connectStdio(line, { MCP_CALLER: "alice", HEALTH_PORT: "0" }),
      connectStdio(line, { MCP_CALLER: "bob" }),
    ]);
    alice = a;
    bob = b;
    opsUrl = new URL(`http://127.0.0.1:${(await a.log.next("ops_listening")).port}/`);
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
  });

  it("answers the second identical search_docs call from the cache, as /metrics shows", async () => {
    await expectSearchServedFromCache(alice, opsUrl);
  });

  it("keeps each process's get_metrics to its own caller", async () => {
    await expectMetricsPerCaller(alice, "client:alice", bob, "client:bob");
  });

  it("refuses the sixth send_email in a minute with its retry-after", async () => {
    await expectSixthEmailDenied(line, alice);
  });

  it("answers busy to a second send_email to one recipient, and gives its unit back", async () => {
    await expectBusyRecipientRefunded(bob);
  });
});

describe.each(SDK_LINES)("stdio shutdown, SDK %s", (line) => {
  it("exits 0 by itself when the client closes stdin", async () => {
    const server = spawnServer({ MCP_SDK: line });
    try {
      // The line's own client, on pipes the test holds, so that it sees the child end by itself.
      const tools = await listToolsOverPipe(line, server.child).catch((error: unknown) => {
        throw new Error(`${String(error)}; the server's stderr:\n${server.log.text()}`);
      });
      expect(tools.sort()).toEqual(["get_metrics", "search_docs", "send_email"]);

      server.child.stdin.end();
      const exit = await server.expectExit();
      expect(exit).toEqual({ code: 0, signal: null, byItself: true });
      expect(await server.log.next("shutdown_exit")).toMatchObject({ reason: "stdin ended", code: 0 });
    } finally {
      server.kill();
    }
  });
});
