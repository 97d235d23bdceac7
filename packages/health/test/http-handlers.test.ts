import type { IncomingMessage, ServerResponse } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHealth, type HealthCheck, type ShutdownState } from "../src/index";
import { type Probe, probe, serve } from "./http";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serveHealth(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const http = await serve(listener);
  closers.push(http.close);
  return http.url;
}

async function fromFetch(response: Response): Promise<Probe> {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    cacheControl: response.headers.get("cache-control"),
    text: await response.text(),
  };
}

/** Everything but the reading's time, which differs between two runs. */
function comparable(answer: Probe): unknown {
  if (answer.contentType !== "application/health+json") return answer;
  return {
    ...answer,
    text: answer.text.replace(/"observedValue":[\d.]+,/g, "").replace(/"time":"[^"]+"/g, ""),
  };
}

let failing = false;
const flaky: HealthCheck = {
  name: "db",
  run: () => {
    if (failing) throw new Error("db down");
  },
};

describe("the Fetch handler and the node handler give the same answers", () => {
  it.each([
    ["GET", "/livez"],
    ["GET", "/readyz"],
    ["GET", "/health"],
    ["GET", "/health?verbose=1"],
    ["HEAD", "/health"],
    ["POST", "/readyz"],
    ["GET", "/elsewhere"],
  ])("%s %s, passing and failing", async (method, path) => {
    const health = createHealth({ checks: [flaky], cacheMs: 0, version: "1", description: "parity" });
    const url = await serveHealth(health.nodeHandler);
    for (const fail of [false, true]) {
      failing = fail;
      const viaNode = await probe(`${url}${path}`, { method });
      const viaFetch = await fromFetch(
        await health.fetch(new Request(`http://health.test${path}`, { method })),
      );
      expect(comparable(viaFetch)).toEqual(comparable(viaNode));
    }
    failing = false;
  });

  it("answers with the documented codes, types and headers", async () => {
    failing = false;
    const health = createHealth({ checks: [flaky], cacheMs: 0 });
    const url = await serveHealth(health.nodeHandler);
    expect(await probe(`${url}/livez`)).toEqual({
      status: 200,
      contentType: "text/plain; charset=utf-8",
      cacheControl: "no-store",
      text: "ok\n",
    });
    const head = await fetch(`${url}/health`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    const post = await fetch(`${url}/readyz`, { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    expect((await probe(`${url}/nope`)).status).toBe(404);
    expect(await health.handleFetch(new Request("http://health.test/nope"))).toBeUndefined();
  });
});

describe("mounting", () => {
  it("as express-style middleware: unknown paths go to next()", async () => {
    const health = createHealth();
    const url = await serveHealth((req, res) =>
      health.nodeHandler(req, res, () => {
        res.end("the app");
      }),
    );
    expect((await probe(`${url}/livez`)).text).toBe("ok\n");
    expect(await probe(`${url}/tools`)).toMatchObject({ status: 200, text: "the app" });
  });

  it("in a bare server: handleNode() returns false for paths that are not its own", async () => {
    const health = createHealth({ paths: { live: "/ops/live" } });
    const url = await serveHealth((req, res) => {
      if (!health.handleNode(req, res)) res.writeHead(418).end("mine");
    });
    expect((await probe(`${url}/ops/live`)).status).toBe(200);
    expect((await probe(`${url}/livez`)).status).toBe(418);
  });

  it("answers a request line in absolute form (GET http://host/livez), as HTTP/1.1 servers must", async () => {
    const health = createHealth();
    const url = new URL(await serveHealth(health.nodeHandler));
    const ask = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.end(`GET ${target} HTTP/1.1\r\nHost: probes\r\nConnection: close\r\n\r\n`),
        );
        let answer = "";
        socket.on("data", (chunk) => {
          answer += chunk;
        });
        socket.on("end", () => resolve(answer.split("\r\n")[0] ?? ""));
        socket.on("error", reject);
      });
    expect(await ask("http://probes/livez")).toBe("HTTP/1.1 200 OK");
    expect(await ask("http://probes/readyz?verbose")).toBe("HTTP/1.1 200 OK");
    expect(await ask("http://probes/elsewhere")).toBe("HTTP/1.1 404 Not Found");
  });

  it("on its own port with listen(), closed with close() even with kept-alive connections", async () => {
    const health = createHealth();
    const server = await health.listen({ port: 0, host: "127.0.0.1" });
    expect((await probe(`http://127.0.0.1:${server.port}/livez`)).status).toBe(200);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/livez`)).rejects.toThrow();
  });
});

describe("shutdown", () => {
  it("readiness fails once shutdown.isShuttingDown() is true; liveness stays 200; checks stop running", async () => {
    let shuttingDown = false;
    let runs = 0;
    const shutdown: ShutdownState = { isShuttingDown: () => shuttingDown };
    const health = createHealth({ checks: [{ name: "db", run: () => void runs++ }], cacheMs: 0, shutdown });
    const url = await serveHealth(health.nodeHandler);
    expect((await probe(`${url}/readyz`)).status).toBe(200);
    expect(runs).toBe(1);

    shuttingDown = true; // what @mcp-persist/shutdown does synchronously at the first signal
    expect(health.isShuttingDown()).toBe(true);
    expect(await probe(`${url}/readyz`)).toMatchObject({ status: 503, text: "not ready: shutting down\n" });
    const report = await probe(`${url}/health`);
    expect(report.status).toBe(503);
    expect(JSON.parse(report.text)).toEqual({ status: "fail", output: "shutting down", checks: {} });
    expect(await probe(`${url}/livez`)).toMatchObject({ status: 200, text: "ok\n" });
    expect(runs).toBe(1); // a closing store is not pinged
  });

  it("a probe whose checks were running when shutdown began is answered 503, not ready", async () => {
    let checkStarted = () => {};
    const started = new Promise<void>((resolve) => {
      checkStarted = resolve;
    });
    let finishCheck = () => {};
    const slow: HealthCheck = {
      name: "db",
      run: () => {
        checkStarted();
        return new Promise<void>((resolve) => {
          finishCheck = resolve;
        });
      },
    };
    const health = createHealth({ checks: [slow], cacheMs: 0 });
    const url = await serveHealth(health.nodeHandler);
    const readiness = probe(`${url}/readyz`);
    const report = probe(`${url}/health`);
    await started;
    health.markShuttingDown(); // the first signal arrives while the check is in flight
    finishCheck();
    expect(await readiness).toMatchObject({ status: 503, text: "not ready: shutting down\n" });
    const answer = await report;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ status: "fail", output: "shutting down", checks: {} });
  });

  it("markShuttingDown() flips readiness without a shutdown object", async () => {
    const health = createHealth();
    expect((await fromFetch(await health.fetch(new Request("http://h/readyz")))).status).toBe(200);
    health.markShuttingDown();
    expect((await fromFetch(await health.fetch(new Request("http://h/readyz")))).status).toBe(503);
    expect((await fromFetch(await health.fetch(new Request("http://h/livez")))).status).toBe(200);
  });
});
