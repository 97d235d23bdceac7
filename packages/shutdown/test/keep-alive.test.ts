import { Agent, createServer, type RequestListener, request } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type LogLine, listeningPort, startFixture, stopFixtures } from "./support/fixture-process";
import { inProcessShutdown } from "./support/in-process";

// Kept-alive connections at shutdown, with real sockets: a node:http server registered with
// addServer() and nothing else, clients that reuse their connections (http.Agent with keepAlive,
// and fetch, which is undici), and real SIGTERMs to a child process.

afterEach(stopFixtures);

interface Answer {
  status: number;
  connection: string | undefined;
  /** True when the request went out on a connection an earlier request had used. */
  reusedSocket: boolean;
  body: string;
}

/** One request through `agent`; rejects if the connection is reset instead of answered. */
function send(agent: Agent, port: number, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.once("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          reusedSocket: req.reusedSocket,
          body,
        }),
      );
      res.once("error", reject);
    });
    req.once("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

/** Opens GET /stream: resolves once its headers arrived, with a promise of its end. */
function openStream(
  agent: Agent,
  port: number,
): Promise<{ connection: string | undefined; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/stream", agent }, (res) => {
      res.resume();
      resolve({
        connection: res.headers.connection,
        ended: new Promise<void>((ended, failed) => {
          res.once("end", ended);
          res.once("error", failed);
        }),
      });
    });
    req.once("error", reject);
    req.end();
  });
}

type Outcome =
  | {
      kind: "answered";
      id: string;
      status: number;
      connection: string | null;
      shuttingDown: string | null;
      listening: string | null;
    }
  | { kind: "failed"; id: string; message: string };

/**
 * Two fetch (undici) loops posting to /work back to back, like a busy MCP client, until `stop`
 * resolves. Once the listener is closed, their new connections are refused (or reset, for one
 * opened at the very moment it closed, still in the listen backlog or not yet carrying a
 * request): those requests never reach the app, and a client can safely retry them.
 */
async function keepBusy(port: number, stop: Promise<unknown>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const loop = async (worker: number) => {
    for (let call = 0; !stopped; call += 1) {
      const id = `load-${worker}-${call}`;
      try {
        const response = await fetch(`http://127.0.0.1:${port}/work?now=1&id=${id}`, {
          method: "POST",
          body: "{}",
        });
        await response.text();
        outcomes.push({
          kind: "answered",
          id,
          status: response.status,
          connection: response.headers.get("connection"),
          shuttingDown: response.headers.get("x-shutting-down"),
          listening: response.headers.get("x-listening"),
        });
      } catch (error) {
        const cause = (error as { cause?: { message?: unknown } }).cause;
        outcomes.push({ kind: "failed", id, message: String(cause?.message ?? error) });
        await sleep(20);
      }
    }
  };
  await Promise.all([loop(0), loop(1)]);
  return outcomes;
}

/** What a fresh TCP connection to `port` meets: "connected", or the error's code. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** How a request that never reached the app can fail: refused, or reset by the closing server. */
const NEVER_REACHED_APP = /ECONNREFUSED|ECONNRESET|other side closed/;

const phaseStarted = (phase: string) => (line: LogLine) => line.msg === `shutdown phase ${phase} started`;

describe("SIGTERM while clients hold kept-alive connections", () => {
  it("finishes in-flight work, closes connections after their responses, answers late requests 503, and drains no longer than the work", async () => {
    const server = startFixture("keep-alive-server.mjs", { DELAY_MS: "1000", TIMEOUT_MS: "20000" });
    const port = await listeningPort(server);
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    const streaming = new Agent({ keepAlive: true, maxSockets: 1 });
    const working = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Before the signal: an idle kept-alive connection, one carrying a response whose headers
      // are already out, one with a request in flight, and a client that never lets go.
      expect(await send(idle, port, "GET", "/fast")).toMatchObject({ status: 200, connection: "keep-alive" });
      const stream = await openStream(streaming, port);
      expect(stream.connection).toBe("keep-alive");
      const inFlight = send(working, port, "POST", "/work?id=in-flight");
      await server.waitFor((line) => line.event === "work-started" && line.id === "in-flight");
      const load = keepBusy(port, server.exited);
      await server.waitFor((line) => line.event === "work-started" && String(line.id).startsWith("load-"));

      server.signal("SIGTERM");
      await server.waitFor(phaseStarted("delay"), "stderr");
      // The delay keeps serving, on old connections too, but each answer closes its connection.
      expect(await send(idle, port, "GET", "/fast")).toMatchObject({
        status: 200,
        connection: "close",
        reusedSocket: true,
      });

      // The stream ends when the drain begins: the listener is closed by then, and its
      // connection, kept alive by headers sent before the signal, is still open.
      await stream.ended;
      await server.waitFor(phaseStarted("drain"), "stderr");
      // stop-accepting closed the listener before the drain began: a new connection is refused.
      expect(await connectOutcome(port)).toBe("ECONNREFUSED");
      const late = await send(streaming, port, "GET", "/fast");
      expect(late).toEqual({ status: 503, connection: "close", reusedSocket: true, body: "shutting down\n" });

      // The drain is still waiting for the work in flight, and nothing else.
      expect(server.logs.some((line) => line.msg === "shutdown phase drain finished")).toBe(false);
      server.child.stdin?.write("finish-work\n");
      // The app set Connection: keep-alive on it; the shutdown's close wins.
      expect(await inFlight).toMatchObject({ status: 200, connection: "close", body: "done in-flight" });

      const { code } = await server.exited;
      expect(code).toBe(0);
      // The drain ended with the work, not at drainTimeoutMs (9.5 s here).
      expect(server.logs.filter((line) => line.level === "warn")).toEqual([]);
      const workDone = server.logs.findIndex((line) => line.event === "work-done" && line.id === "in-flight");
      expect(workDone).toBeGreaterThan(-1);
      expect(server.logs.findIndex((line) => line.msg === "shutdown phase drain finished")).toBeGreaterThan(
        workDone,
      );

      const outcomes = await load;
      // No request was cut off mid-flight: every one that reached the app was answered; the
      // others found the listener closed and never ran.
      const reachedApp = new Set(
        server.events.flatMap((line) => (line.event === "work-started" ? [String(line.id)] : [])),
      );
      const failed = outcomes.filter((outcome) => outcome.kind === "failed");
      expect(failed.filter((outcome) => reachedApp.has(outcome.id))).toEqual([]);
      // The loops ran into the closed listener: refused, or reset when a connection raced the
      // close (the last one too, when the process exited within a loop's 20 ms pause).
      expect(failed.length).toBeGreaterThan(0);
      for (const outcome of failed) expect(outcome.message).toMatch(NEVER_REACHED_APP);
      const answered = outcomes.flatMap((outcome) => (outcome.kind === "answered" ? [outcome] : []));
      const afterSignal = answered.filter((outcome) => outcome.shuttingDown === "true");
      expect(afterSignal.length).toBeGreaterThan(0);
      expect(afterSignal.every((outcome) => outcome.status === 200 && outcome.connection === "close")).toBe(
        true,
      );
      // Nothing reached the app once its listener was closed.
      expect(answered.filter((outcome) => outcome.listening === "false")).toEqual([]);
    } finally {
      for (const agent of [idle, streaming, working]) agent.destroy();
    }
  }, 30_000);
});

// The same rules inside one process, with a recording exit.
describe("requests of a registered server", () => {
  async function listen(handler: RequestListener) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as AddressInfo).port };
  }

  it("count as in flight without any wiring, and the drain waits for them", async () => {
    const { shutdown, logged } = inProcessShutdown({ timeoutMs: 10_000 });
    let started = () => {};
    const requestStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { server, port } = await listen(async (_req, res) => {
      started();
      await sleep(300);
      res.end("done");
    });
    shutdown.addServer(server);
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = send(agent, port, "GET", "/");
      await requestStarted;
      const exited = shutdown.shutdown();
      expect(logged[0]).toMatchObject({ msg: "shutdown started (shutdown() called)", inFlight: 1 });
      expect(await answer).toMatchObject({ status: 200, connection: "close", body: "done" });
      expect(await exited).toBe(0);
      expect(logged.filter((line) => line.level === "warn")).toEqual([]);
    } finally {
      agent.destroy();
    }
  });

  it("carry Connection: close once shutting down, even when the app sets keep-alive as the MCP SDK does", async () => {
    const { shutdown } = inProcessShutdown({ timeoutMs: 10_000 });
    const { server, port } = await listen((_req, res) => {
      const headers = { "content-type": "text/event-stream", connection: "keep-alive" };
      // Both ways an app sets headers: writeHead with an object, and setHeader before it.
      if (shutdown.isShuttingDown()) res.setHeader("Connection", "keep-alive");
      res.writeHead(200, headers).end("data: {}\n\n");
    });
    shutdown.addServer(server);
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await send(agent, port, "POST", "/")).toMatchObject({ connection: "keep-alive" });
      shutdown.on("delay", async () => {
        expect(await send(agent, port, "POST", "/")).toMatchObject({
          status: 200,
          connection: "close",
          reusedSocket: true,
        });
      });
      expect(await shutdown.shutdown()).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it.each([
    { opens: "a v1 GET event stream", method: "GET", headers: { accept: "text/event-stream" } },
    {
      opens: "a v2 subscriptions/listen stream",
      method: "POST",
      headers: { accept: "text/event-stream, application/json", "mcp-method": "subscriptions/listen" },
    },
  ] as { opens: string; method: string; headers: Record<string, string> }[])(
    "are not waited for when they open $opens: those last as long as the client listens",
    async ({ method, headers }) => {
      const { shutdown, logged } = inProcessShutdown({ timeoutMs: 10_000, drainTimeoutMs: 5_000 });
      const { server, port } = await listen((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": open\n\n");
      });
      shutdown.addServer(server);
      const body = method === "POST" ? "{}" : undefined;
      const stream = await fetch(`http://127.0.0.1:${port}/`, { method, headers, body });
      expect(stream.status).toBe(200);

      expect(await shutdown.shutdown()).toBe(0);
      expect(logged[0]).toMatchObject({ inFlight: 0 });
      // Waited for, it would have held the drain for its 5 s and logged what was left.
      expect(logged.filter((line) => line.level === "warn")).toEqual([]);
      await expect(stream.text()).rejects.toThrow();
    },
  );

  it("reach the app untouched again once the server is unregistered", async () => {
    const { shutdown } = inProcessShutdown({ timeoutMs: 10_000 });
    const { server, port } = await listen((_req, res) => res.end("app"));
    const unregister = shutdown.addServer(server);
    unregister();
    const agent = new Agent({ keepAlive: true });
    try {
      shutdown.on("drain", async () => {
        expect(await send(agent, port, "GET", "/")).toMatchObject({ status: 200, connection: "keep-alive" });
      });
      expect(await shutdown.shutdown()).toBe(0);
      expect(Object.hasOwn(server, "emit")).toBe(false);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});
