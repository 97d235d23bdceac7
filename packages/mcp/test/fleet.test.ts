import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshPrefix, useBundle, useRedis } from "@mcp-persist/test-kit";
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2HttpClient,
} from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1HttpClient } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// Two real server processes (SDK v1 or v2) on one real Redis, each on its own client (ioredis,
// node-redis), and the SDKs' real streamable HTTP clients, behind a stand-in load balancer: the
// client's `fetch`, which sends each request to the replica the test chooses.

const redis = useRedis();
const bundle = useBundle(new URL("./fixtures/fleet-server.ts", import.meta.url));

interface Replica {
  readonly url: string;
  readonly port: number;
  /** Resolves with the first stdout line starting with `prefix` printed from now on. */
  next(prefix: string): Promise<string>;
  /** Lines printed so far. */
  readonly lines: string[];
  readonly stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }),
  );
});

async function startReplica(line: string, client: string, keyPrefix: string, port = 0): Promise<Replica> {
  const child = spawn(process.execPath, [bundle(), line, redis().url, client, keyPrefix, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  const lines: string[] = [];
  const waiters: { prefix: string; from: number; resolve: (line: string) => void }[] = [];
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let buffer = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      lines.push(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
    }
    for (const waiter of [...waiters]) {
      const found = lines.slice(waiter.from).find((l) => l.startsWith(waiter.prefix));
      if (found !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ prefix, from: lines.length, resolve });
      child.once("exit", () => reject(new Error(`replica exited before printing "${prefix}":\n${stderr}`)));
    });
  const listening = await Promise.race([
    next("listening "),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no listening line:\n${stderr}`)), 20_000),
    ),
  ]);
  const actual = Number(listening.split(" ")[1]);
  return {
    url: `http://127.0.0.1:${actual}/mcp`,
    port: actual,
    next,
    lines,
    stderr: () => stderr,
    async kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * The stand-in load balancer: a `fetch` that sends each request to `route()`'s replica, and can
 * cut the stream of the next tool call after `dropAfter` progress events (the connection drops:
 * the client sees a network error, the server's stream is cancelled).
 */
function balancer(route: (method: string, headers: Headers) => Promise<string> | string) {
  let dropAfter: number | undefined;
  const fetchVia = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const method = init?.method ?? "GET";
    const response = await fetch(await route(method, headers), init);
    const isToolCall =
      method === "POST" && typeof init?.body === "string" && init.body.includes('"tools/call"');
    if (!isToolCall || dropAfter === undefined || response.body === null) return response;
    const count = dropAfter;
    dropAfter = undefined;
    return new Response(cutAfter(response.body, count), {
      status: response.status,
      headers: response.headers,
    });
  };
  return {
    fetch: fetchVia as typeof fetch,
    dropNextToolCallAfter(progressEvents: number) {
      dropAfter = progressEvents;
    },
  };
}

/** An SSE body that delivers whole events, and fails like a dropped connection after `count` progress events. */
function cutAfter(body: ReadableStream<Uint8Array>, count: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  let seen = 0;
  let cut = false;
  return new ReadableStream({
    async pull(controller) {
      if (cut) {
        await reader.cancel().catch(() => {});
        controller.error(new TypeError("terminated: the connection dropped"));
        return;
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0 && !cut; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        controller.enqueue(encoder.encode(event));
        if (event.includes("notifications/progress") && ++seen === count) cut = true;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

interface TestClient {
  call(name: string, args: Record<string, unknown>, onprogress?: (progress: number) => void): Promise<string>;
  close(): Promise<void>;
  readonly sessionId: string | undefined;
}

const RECONNECT = {
  initialReconnectionDelay: 20,
  maxReconnectionDelay: 200,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 5,
};

async function connect(line: string, url: string, fetchVia: typeof fetch): Promise<TestClient> {
  const textOf = (result: unknown) => {
    const { content, isError } = result as { content: { text: string }[]; isError?: boolean };
    if (isError) throw new Error(`tool error: ${content[0]?.text}`);
    return content[0]?.text ?? "";
  };
  if (line === "v1") {
    const transport = new V1HttpClient(new URL(url), { fetch: fetchVia, reconnectionOptions: RECONNECT });
    const client = new V1Client({ name: "fleet-test", version: "1.0.0" });
    await client.connect(transport);
    return {
      call: async (name, args, onprogress) =>
        textOf(
          await client.callTool({ name, arguments: args }, undefined, {
            onprogress: (p) => onprogress?.(p.progress),
            timeout: 20_000,
          }),
        ),
      close: () => client.close(),
      get sessionId() {
        return transport.sessionId;
      },
    };
  }
  const transport = new V2HttpClient(new URL(url), { fetch: fetchVia, reconnectionOptions: RECONNECT });
  const client = new V2Client({ name: "fleet-test", version: "1.0.0" });
  await client.connect(transport);
  return {
    call: async (name, args, onprogress) =>
      textOf(
        await client.callTool(
          { name, arguments: args },
          {
            onprogress: (p: { progress: number }) => onprogress?.(p.progress),
            timeout: 20_000,
          },
        ),
      ),
    close: () => client.close(),
    get sessionId() {
      return transport.sessionId;
    },
  };
}

describe.each(["v1", "v2"])("SDK %s, two replicas on one Redis", (line) => {
  it.each([
    ["once the first has finished the call", true],
    ["while the first still runs the call", false],
  ])(
    "a stream dropped mid-call resumes with Last-Event-ID on the other replica %s: every missed message, in order, once",
    async (_when, afterResponse) => {
      const keyPrefix = freshPrefix();
      const [a, b] = await Promise.all([
        startReplica(line, "ioredis", keyPrefix),
        startReplica(line, "node-redis", keyPrefix),
      ]);
      let responseStored: Promise<string> | undefined;
      const lb = balancer(async (method, headers) => {
        if (method === "GET" && headers.has("last-event-id")) {
          // The resume goes to the other replica.
          if (afterResponse) await responseStored;
          return b.url;
        }
        return a.url;
      });
      const client = await connect(line, a.url, lb.fetch);
      try {
        const progress: number[] = [];
        responseStored = a.next("stored-response ");
        const replayed = b.next("replay ");
        lb.dropNextToolCallAfter(3);
        const text = await client.call("count_slowly", { n: 8, delayMs: afterResponse ? 25 : 100 }, (p) =>
          progress.push(p),
        );
        expect(text).toMatch(/^counted to 8 on \d+$/);
        expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await replayed).toMatch(/^replay /);
        // Resumed while the call ran: the first replica stored its response after the replay began.
        if (!afterResponse)
          expect(a.lines.findIndex((l) => l.startsWith("stored-response "))).toBeGreaterThan(-1);
        // The call ran once, on the first replica; the second only replayed it.
        expect(a.lines.filter((l) => l.startsWith("replay "))).toEqual([]);
      } finally {
        await client.close();
      }
    },
    60_000,
  );

  it("answers a Last-Event-ID it does not know as the SDK does: 400 for a foreign id, 500 for a lost one; the replica serves on", async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = await Promise.all([
      startReplica(line, "ioredis", keyPrefix),
      startReplica(line, "node-redis", keyPrefix),
    ]);
    const client = await connect(line, a.url, fetch);
    try {
      const resume = (lastEventId: string) =>
        fetch(b.url, {
          headers: {
            accept: "text/event-stream",
            "mcp-session-id": client.sessionId ?? "",
            "mcp-protocol-version": "2025-11-25",
            "last-event-id": lastEventId,
          },
          signal: AbortSignal.timeout(10_000),
        });
      const foreign = await resume("not-one-of-ours");
      expect(foreign.status).toBe(400);
      await foreign.body?.cancel();
      const lost = await resume("0b8e1c53-64f4-4bd6-a6e9-5d3c1d1f3a51.1700000000000.7");
      expect(lost.status).toBe(500);
      await lost.body?.cancel();
      expect(await client.call("recall", {})).toMatch(/^note: \(none\)/);
    } finally {
      await client.close();
    }
  }, 60_000);

  it("keeps a session's state across a restart of its server, and serves the session from the other replica", async () => {
    const keyPrefix = freshPrefix();
    let a = await startReplica(line, "ioredis", keyPrefix);
    const b = await startReplica(line, "node-redis", keyPrefix);
    let target = a.url;
    const client = await connect(line, a.url, balancer(() => target).fetch);
    try {
      expect(await client.call("remember", { note: "buy milk" })).toBe("remembered: true");
      const port = a.port;
      await a.kill();
      a = await startReplica(line, "ioredis", keyPrefix, port);
      target = a.url;
      expect(await client.call("recall", {})).toBe(`note: buy milk (session ${client.sessionId})`);
      target = b.url;
      expect(await client.call("recall", {})).toBe(`note: buy milk (session ${client.sessionId})`);
    } finally {
      await client.close();
    }
  }, 60_000);

  it("keeps serving tool calls when Redis is killed: resumability and session state degrade", async () => {
    const a = await startReplica(line, "ioredis", freshPrefix());
    const client = await connect(line, a.url, fetch);
    try {
      expect(await client.call("remember", { note: "x" })).toBe("remembered: true");
      await redis().kill();
      const progress: number[] = [];
      expect(await client.call("count_slowly", { n: 3, delayMs: 1 }, (p) => progress.push(p))).toMatch(
        /^counted to 3/,
      );
      expect(progress).toEqual([1, 2, 3]);
      expect(await client.call("remember", { note: "y" })).toBe("remembered: false");
      expect(await client.call("recall", {})).toMatch(/^note: \(none\)/);
    } finally {
      await client.close();
      await redis().restart();
    }
  }, 60_000);
});

describe("SDK v2 subscriptions/listen on two replicas", () => {
  it("a resource_updated published on one replica reaches a client listening on the other", async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = await Promise.all([
      startReplica("v2-listen", "ioredis", keyPrefix),
      startReplica("v2-listen", "node-redis", keyPrefix),
    ]);
    const client = new V2Client(
      { name: "fleet-test", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(new V2HttpClient(new URL(b.url)));
    const heard: string[] = [];
    client.setNotificationHandler("notifications/resources/updated", (notification) => {
      heard.push(String(notification.params.uri));
    });
    const subscription = await client.listen({ resourceSubscriptions: ["docs://readme"] });
    try {
      // B's subscription to the store's channel is in place after a round trip to Redis: publish
      // on A until B's listener hears one (at most once delivery), then one more that must arrive.
      const deadline = Date.now() + 10_000;
      while (heard.length === 0 && Date.now() < deadline) {
        await fetch(`http://127.0.0.1:${a.port}/notify?uri=${encodeURIComponent("docs://readme")}`, {
          method: "POST",
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(heard.length).toBeGreaterThan(0);
      const before = heard.length;
      await fetch(`http://127.0.0.1:${a.port}/notify?uri=${encodeURIComponent("docs://other")}`, {
        method: "POST",
      });
      await fetch(`http://127.0.0.1:${a.port}/notify?uri=${encodeURIComponent("docs://readme")}`, {
        method: "POST",
      });
      await expect.poll(() => heard.length, { timeout: 5000 }).toBe(before + 1);
      expect(new Set(heard)).toEqual(new Set(["docs://readme"]));
    } finally {
      await subscription.close();
      await client.close();
    }
  }, 60_000);
});
