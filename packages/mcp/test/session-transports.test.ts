import { InvalidOptionError } from "@mcp-persist/cache-core";
import { freshPrefix, storeKinds, useRedis } from "@mcp-persist/test-kit";
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2HttpClient,
} from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1HttpClient } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer as V1Server } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport as V1Transport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  McpServer as V2Server,
  WebStandardStreamableHTTPServerTransport as V2Transport,
} from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it } from "vitest";
import {
  createEventStore,
  createSessionState,
  createSessionTransports,
  type RequestContext,
  type SessionTransports,
} from "../src/index";

// Two replicas in one process, each with its own createSessionTransports on one store (Redis: a
// client each), the SDKs' real web-standard transports and real clients, whose `fetch` hands each
// request to the replica the test chooses. fleet.test.ts runs the same across processes.

const redis = useRedis();
const kinds = storeKinds(redis);
const URL_ = "http://replica.test/mcp";
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => {})));
});

type Line = "v1" | "v2";
type Transport = V1Transport | V2Transport;

function replica(line: Line, store: ReturnType<(typeof kinds)[number]["open"]>) {
  const opens: string[] = [];
  const sessions = createSessionState(store);
  const transports = createSessionTransports({
    sessions,
    open: async (sessionId) => {
      opens.push(sessionId);
      const options = { sessionIdGenerator: () => sessionId, eventStore: createEventStore(store) };
      const transport: Transport = line === "v1" ? new V1Transport(options) : new V2Transport(options);
      const server =
        line === "v1" ? new V1Server({ name: "r", version: "1" }) : new V2Server({ name: "r", version: "1" });
      (
        server.registerTool as (
          name: string,
          config: object,
          handler: (ctx: RequestContext) => object,
        ) => void
      )("whose", {}, (ctx) => ({ content: [{ type: "text", text: `session ${ctx.sessionId}` }] }));
      await server.connect(transport as never);
      return transport;
    },
  });
  opened.push(transports);
  return { transports, opens, sessions };
}

async function connect(line: Line, route: () => SessionTransports<Transport>) {
  const fetchVia = (async (input: string | URL | Request, init?: RequestInit) =>
    route().handle(new Request(input, init))) as typeof fetch;
  if (line === "v1") {
    const transport = new V1HttpClient(new URL(URL_), { fetch: fetchVia });
    const client = new V1Client({ name: "t", version: "1" });
    await client.connect(transport);
    opened.push(client);
    return {
      sessionId: () => transport.sessionId,
      whose: async () => ((await client.callTool({ name: "whose" })).content as { text: string }[])[0]?.text,
      terminate: () => transport.terminateSession(),
    };
  }
  const transport = new V2HttpClient(new URL(URL_), { fetch: fetchVia });
  const client = new V2Client({ name: "t", version: "1" });
  await client.connect(transport);
  opened.push(client);
  return {
    sessionId: () => transport.sessionId,
    whose: async () => ((await client.callTool({ name: "whose" })).content as { text: string }[])[0]?.text,
    terminate: () => transport.terminateSession(),
  };
}

const post = (sessionId: string, body: object) =>
  new Request(URL_, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": sessionId,
      "mcp-protocol-version": "2025-11-25",
    },
    body: JSON.stringify(body),
  });

describe.each(kinds)("createSessionTransports on $name", (kind) => {
  /** Two replicas sharing one store. */
  const pair = (line: Line) => {
    const keyPrefix = freshPrefix();
    const shared = kind.redis ? undefined : kind.open();
    return [
      replica(line, shared ?? kind.open({ keyPrefix })),
      replica(line, shared ?? kind.open({ keyPrefix })),
    ];
  };

  describe.each(["v1", "v2"] as const)("SDK %s", (line) => {
    it("serves a session created on one replica from the other, with the original session id", async () => {
      const [a, b] = pair(line);
      let target = a;
      const client = await connect(line, () => (target ?? a)?.transports as SessionTransports<Transport>);
      const id = client.sessionId();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await client.whose()).toBe(`session ${id}`);
      target = b;
      expect(await client.whose()).toBe(`session ${id}`);
      expect(b?.opens).toEqual([id]);
    });

    it("adopts a foreign session once when many first requests for it arrive at once", async () => {
      const [a, b] = pair(line);
      const client = await connect(line, () => a?.transports as SessionTransports<Transport>);
      const id = client.sessionId() ?? "";
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, n) =>
          b?.transports.handle(
            post(id, { jsonrpc: "2.0", id: n, method: "tools/call", params: { name: "whose" } }),
          ),
        ),
      );
      expect(answers.map((r) => r?.status)).toEqual(Array(12).fill(200));
      for (const answer of answers) expect(await answer?.text()).toContain(`session ${id}`);
      expect(b?.opens).toEqual([id]);
    });

    it("answers 404 for a session it cannot adopt: never created, or deleted on another replica", async () => {
      const [a, b] = pair(line);
      const unknown = await b?.transports.handle(
        post("no-such-session", { jsonrpc: "2.0", id: 1, method: "ping" }),
      );
      expect(unknown?.status).toBe(404);
      expect(await unknown?.json()).toEqual({
        jsonrpc: "2.0",
        error: { code: -32001, message: "Session not found" },
        id: null,
      });
      expect(b?.opens).toEqual([]);

      const client = await connect(line, () => a?.transports as SessionTransports<Transport>);
      const id = client.sessionId() ?? "";
      await client.terminate();
      const deleted = await b?.transports.handle(post(id, { jsonrpc: "2.0", id: 2, method: "ping" }));
      expect(deleted?.status).toBe(404);
      expect(b?.opens).toEqual([]);
      // The replica that held it forgot it too.
      expect((await a?.transports.handle(post(id, { jsonrpc: "2.0", id: 3, method: "ping" })))?.status).toBe(
        404,
      );
    });
  });
});

it("refuses bad options at creation", () => {
  expect(() => createSessionTransports({ sessions: {} as never, open: async () => ({}) as never })).toThrow(
    InvalidOptionError,
  );
  expect(() =>
    createSessionTransports({ sessions: createSessionState(kinds[0]?.open() as never), open: "x" as never }),
  ).toThrow("open must be a function");
});

it("says so when open() ignores the session id it is given", async () => {
  const transports = createSessionTransports({
    sessions: createSessionState(kinds[0]?.open() as never),
    open: async () => {
      const transport = new V1Transport({ sessionIdGenerator: () => "another-id" });
      await new V1Server({ name: "r", version: "1" }).connect(transport);
      return transport;
    },
  });
  opened.push(transports);
  const initialize = new Request(URL_, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    }),
  });
  await expect(transports.handle(initialize)).rejects.toThrow(
    'open(sessionId) must return a transport whose sessionIdGenerator returns sessionId: it made "another-id"',
  );
});
