import { afterEach, describe, expect, it } from "vitest";
import { type LogLine, listeningPort, startFixture, stopFixtures } from "./support/fixture-process";
import { openEventStream, openSession } from "./support/mcp-http";

// Real child processes, real signals. The fixture is an MCP server over streamable HTTP.
afterEach(stopFixtures);

const phaseStarted = (phase: string) => (line: LogLine) =>
  line.phase === phase && line.msg === `shutdown phase ${phase} started`;

describe("a hook that never settles", () => {
  it("ends in exit 1 once timeoutMs has passed, and the log names the phase", async () => {
    const server = startFixture("mcp-http-server.mjs", { HANG_PHASE: "drain", TIMEOUT_MS: "1000" });
    await listeningPort(server);
    const sentAt = performance.now();
    server.signal("SIGTERM");
    const { code, at } = await server.exited;

    expect(code).toBe(1);
    // It waited for the budget, and not much longer: 8 s separates "bounded" from "hangs".
    expect(at - sentAt).toBeGreaterThanOrEqual(950);
    expect(at - sentAt).toBeLessThan(8_000);
    const timeout = server.logs.find((line) => line.level === "error" && line.phase === "drain");
    expect(timeout?.err).toMatchObject({ type: "ShutdownTimeoutError", code: "ERR_SHUTDOWN_TIMEOUT" });
    expect(timeout?.msg).toContain('phase "drain" hung');
    expect(server.logs.some(phaseStarted("close-transports"))).toBe(false);
  });
});

describe("a second signal during the shutdown", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s exits at once with %i", async (second, expected) => {
    const server = startFixture("mcp-http-server.mjs", { HANG_PHASE: "drain", TIMEOUT_MS: "60000" });
    await listeningPort(server);
    server.signal("SIGTERM");
    await server.waitFor(phaseStarted("drain"), "stderr");
    const sentAt = performance.now();
    server.signal(second);
    const { code, at } = await server.exited;

    expect(code).toBe(expected);
    // The hung hook would hold the shutdown for 60 s.
    expect(at - sentAt).toBeLessThan(8_000);
    expect(server.logs).toContainEqual(expect.objectContaining({ signal: second, code: expected }));
  });
});

describe("an open streamable-HTTP event stream", () => {
  it.each([
    ["closed through its registered transport", "1"],
    ["ended by closeAllConnections() alone", "0"],
  ])(
    "does not block exit when %s",
    async (_how, registerTransports) => {
      const server = startFixture("mcp-http-server.mjs", {
        REGISTER_TRANSPORTS: registerTransports,
        TIMEOUT_MS: "6000",
      });
      const port = await listeningPort(server);
      const stream = await openEventStream(port, await openSession(port));
      expect(stream.statusCode).toBe(200);
      expect(stream.headers["content-type"]).toContain("text/event-stream");
      const streamClosed = new Promise<void>((resolve) => stream.socket.once("close", () => resolve()));

      const sentAt = performance.now();
      server.signal("SIGTERM");
      const { code, at } = await server.exited;

      // A stream left open would hold server.close() until the 6 s timeout, then exit 1.
      expect(code).toBe(0);
      expect(at - sentAt).toBeLessThan(4_000);
      await streamClosed;
    },
    15_000,
  );
});

describe("probes from @mcp-persist/health on health.listen()'s own port", () => {
  const ports = async (server: ReturnType<typeof startFixture>) => {
    const line = await server.waitFor((event) => event.event === "listening");
    return { app: line.port as number, health: line.healthPort as number };
  };
  const probe = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

  it("fail /readyz from the first signal while /livez stays up, during the load-balancer delay", async () => {
    const server = startFixture("mcp-http-server.mjs", { DELAY_MS: "3000", TIMEOUT_MS: "10000" });
    const { health } = await ports(server);
    expect(await probe(health, "/readyz")).toBe(200);

    server.signal("SIGTERM");
    await server.waitFor(phaseStarted("delay"), "stderr");
    expect(await probe(health, "/readyz")).toBe(503);
    expect(await probe(health, "/health")).toBe(503);
    expect(await probe(health, "/livez")).toBe(200);
    expect((await server.exited).code).toBe(0);
  }, 15_000);

  it("keep /livez at 200 after the app's listener has closed, so the drain is not cut short by a restart", async () => {
    const server = startFixture("mcp-http-server.mjs", { HANG_PHASE: "drain", TIMEOUT_MS: "60000" });
    const { app, health } = await ports(server);
    expect(await probe(app, "/mcp")).toBe(404); // the app answers before the signal

    server.signal("SIGTERM");
    await server.waitFor(phaseStarted("drain"), "stderr");
    // Probes on the app's port would now find it closed, and a failing liveness probe restarts the pod.
    await expect(fetch(`http://127.0.0.1:${app}/livez`)).rejects.toThrow();
    expect(await probe(health, "/livez")).toBe(200);
    expect(await probe(health, "/readyz")).toBe(503);
    server.signal("SIGTERM");
    expect((await server.exited).code).toBe(143);
  }, 15_000);
});
