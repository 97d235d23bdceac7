import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ShutdownTimeoutError } from "@mcp-persist/shutdown";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { inProcessShutdown } from "./support/in-process";

// In-process runs with a recording `exit`: the ordering and bookkeeping rules. The signals,
// child processes and real Redis are in the other test files.

describe("isShuttingDown()", () => {
  it("turns true synchronously when the shutdown starts, before the first hook runs", async () => {
    const { shutdown } = inProcessShutdown();
    const seenByHook: boolean[] = [];
    shutdown.on("not-ready", () => seenByHook.push(shutdown.isShuttingDown()));

    expect(shutdown.isShuttingDown()).toBe(false);
    const done = shutdown.shutdown("test");
    expect(shutdown.isShuttingDown()).toBe(true);
    await done;
    expect(seenByHook).toEqual([true]);
  });
});

describe("shutdown()", () => {
  it("runs once however often it is called, and exits once with 0", async () => {
    const { shutdown, exits } = inProcessShutdown();
    let hookRuns = 0;
    shutdown.on("drain", () => {
      hookRuns += 1;
    });
    const first = shutdown.shutdown("first");
    const second = shutdown.shutdown("second");

    expect(second).toBe(first);
    expect(await first).toBe(0);
    expect(hookRuns).toBe(1);
    expect(exits).toEqual([0]);
  });
});

describe("the order of work", () => {
  it("runs hooks phase by phase, each phase's hooks before its own step, stores newest first", async () => {
    const { shutdown } = inProcessShutdown();
    const order: string[] = [];
    for (const phase of [
      "close-stores",
      "drain",
      "not-ready",
      "close-transports",
      "stop-accepting",
      "delay",
    ] as const) {
      shutdown.on(phase, () => order.push(`hook ${phase}`));
    }
    shutdown.on("drain", () => order.push("second hook drain"));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    shutdown.addServer(server);
    shutdown.addTransport({ close: async () => order.push("transport closed") });
    shutdown.addStore({ close: async () => order.push("oldest store: close()") });
    shutdown.addStore({ quit: async () => order.push("middle client: quit()") });
    shutdown.addStore({
      close: async () => order.push("newest: close() wins over quit()"),
      quit: async () => order.push("newest: quit()"),
    });
    shutdown.track(sleep(30).then(() => order.push("tracked work done")));

    expect(await shutdown.shutdown()).toBe(0);
    expect(order).toEqual([
      "hook not-ready",
      "hook delay",
      "hook stop-accepting",
      "hook drain",
      "second hook drain",
      "tracked work done",
      "hook close-transports",
      "transport closed",
      "hook close-stores",
      "newest: close() wins over quit()",
      "middle client: quit()",
      "oldest store: close()",
    ]);
    expect(server.listening).toBe(false);
  });

  it("leaves out what was unregistered", async () => {
    const { shutdown } = inProcessShutdown();
    const closed: string[] = [];
    shutdown.addStore({ close: async () => closed.push("kept") });
    const removeStore = shutdown.addStore({ close: async () => closed.push("removed store") });
    const removeTransport = shutdown.addTransport({ close: async () => closed.push("removed transport") });
    const removeHook = shutdown.on("drain", () => closed.push("removed hook"));
    removeStore();
    removeTransport();
    removeHook();

    await shutdown.shutdown();
    expect(closed).toEqual(["kept"]);
  });
});

describe("drain", () => {
  it("waits for enter()ed work until its done() is called, and counts a double done() once", async () => {
    const { shutdown } = inProcessShutdown();
    const order: string[] = [];
    const first = shutdown.enter();
    first();
    first();
    const second = shutdown.enter();
    setTimeout(() => {
      order.push("second done");
      second();
    }, 30);
    shutdown.addStore({ close: async () => order.push("store closed") });

    await shutdown.shutdown();
    expect(order).toEqual(["second done", "store closed"]);
  });

  it("gives up after drainTimeoutMs, says how much is unfinished, and still closes the stores", async () => {
    const { shutdown, exits, logged } = inProcessShutdown({ drainTimeoutMs: 50, timeoutMs: 5_000 });
    shutdown.track(new Promise(() => {}));
    let storeClosed = false;
    shutdown.addStore({
      close: async () => {
        storeClosed = true;
      },
    });

    await shutdown.shutdown();
    expect(logged).toContainEqual(expect.objectContaining({ level: "warn", phase: "drain", unfinished: 1 }));
    expect(storeClosed).toBe(true);
    expect(exits).toEqual([0]);
  });

  it("track() hands back the very promise it was given, rejections included", async () => {
    const { shutdown } = inProcessShutdown();
    const failing = Promise.reject(new Error("tool failed"));
    expect(shutdown.track(failing)).toBe(failing);
    await expect(failing).rejects.toThrow("tool failed");
    expect(await shutdown.shutdown()).toBe(0);
  });
});

describe("failures", () => {
  it("logs a failing hook or close with its phase, carries on, and exits 1", async () => {
    const { shutdown, exits, logged } = inProcessShutdown();
    const closed: string[] = [];
    shutdown.on("stop-accepting", () => {
      throw new Error("hook broke");
    });
    shutdown.addStore({ close: async () => closed.push("older store") });
    shutdown.addStore({
      close: async () => {
        throw new Error("store broke");
      },
    });

    expect(await shutdown.shutdown()).toBe(1);
    expect(closed).toEqual(["older store"]);
    expect(exits).toEqual([1]);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: "error", phase: "stop-accepting", err: new Error("hook broke") }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ level: "error", phase: "close-stores", err: new Error("store broke") }),
    );
  });

  it("exits 1 when timeoutMs runs out, naming the phase, and runs nothing after it", async () => {
    const { shutdown, exits, logged } = inProcessShutdown({ timeoutMs: 100 });
    shutdown.addTransport({ close: () => new Promise(() => {}) });
    let laterHookRan = false;
    shutdown.on("close-stores", () => {
      laterHookRan = true;
    });

    expect(await shutdown.shutdown()).toBe(1);
    const timeout = logged.find((line) => line.level === "error");
    expect(timeout).toMatchObject({ phase: "close-transports", timeoutMs: 100 });
    expect(timeout?.err).toBeInstanceOf(ShutdownTimeoutError);
    expect(timeout?.err).toMatchObject({ code: "ERR_SHUTDOWN_TIMEOUT", phase: "close-transports" });
    await sleep(50);
    expect(laterHookRan).toBe(false);
    expect(exits).toEqual([1]);
  });
});

describe("logging", () => {
  it("logs every entry with a snake_case event, the shared mcp-persist logger contract", async () => {
    const { shutdown, logged } = inProcessShutdown({ drainTimeoutMs: 50, timeoutMs: 1_000 });
    shutdown.enter(); // never left: the drain gives up
    shutdown.on("close-stores", () => {
      throw new Error("hook broke");
    });

    expect(await shutdown.shutdown("test")).toBe(1);
    for (const line of logged) expect(line.event, line.msg).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(logged.map((line) => line.event)).toEqual([
      "shutdown_started",
      ...["not-ready", "delay", "stop-accepting", "drain", "close-transports", "close-stores"].flatMap(
        (phase) => [
          "shutdown_phase_started",
          ...(phase === "drain" ? ["shutdown_drain_timeout"] : []),
          ...(phase === "close-stores" ? ["shutdown_step_failed"] : []),
          "shutdown_phase_finished",
        ],
      ),
      "shutdown_exit",
    ]);
    // Failures carry the error object itself as `err`, as pino expects.
    expect(logged.find((line) => line.event === "shutdown_step_failed")?.err).toEqual(
      new Error("hook broke"),
    );
  });
});

describe("clients closed with their draining close", () => {
  it("quits an ioredis client that never connected without hanging", async () => {
    const { shutdown } = inProcessShutdown({ timeoutMs: 5_000 });
    const client = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true });
    client.on("error", () => {});
    shutdown.addStore(client);

    expect(await shutdown.shutdown()).toBe(0);
    expect(client.status).toBe("end");
  });

  it("skips a client that was already closed instead of failing on it", async () => {
    const { shutdown, logged } = inProcessShutdown({ timeoutMs: 5_000 });
    const client = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true });
    client.disconnect();
    expect(client.status).toBe("end");
    shutdown.addStore(client);

    expect(await shutdown.shutdown()).toBe(0);
    expect(logged.filter((line) => line.level === "error")).toEqual([]);
  });

  it("ends connections an HTTP server still holds, so the server finishes closing", async () => {
    const { shutdown } = inProcessShutdown({ timeoutMs: 5_000 });
    // A response that never ends, like an MCP event stream.
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": open\n\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    shutdown.addServer(server);
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(200);

    expect(await shutdown.shutdown()).toBe(0);
    await expect(response.text()).rejects.toThrow();
  });
});
