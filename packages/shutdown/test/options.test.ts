import {
  createShutdown,
  PHASES,
  ShutdownOptionError,
  type ShutdownOptions,
  ShutdownRegistrationError,
} from "@mcp-persist/shutdown";
import { describe, expect, it } from "vitest";
import { inProcessShutdown } from "./support/in-process";

// Bad input is rejected when the shutdown is built or things are registered: at startup, not
// at the first SIGTERM, when nobody is watching.

describe("createShutdown options", () => {
  it.each<[string, ShutdownOptions, RegExp]>([
    [
      "a negative timeout",
      { timeoutMs: -5 },
      /timeoutMs must be a positive finite number of milliseconds, got -5/,
    ],
    ["an infinite timeout", { timeoutMs: Number.POSITIVE_INFINITY }, /timeoutMs must be a positive finite/],
    [
      "a non-number delay",
      { delayMs: "5" as unknown as number },
      /delayMs must be zero or a positive finite .*got "5"/,
    ],
    [
      "a delay as long as the budget",
      { timeoutMs: 1_000, delayMs: 1_000 },
      /delayMs \(1000\) must be below timeoutMs/,
    ],
    [
      "no time left to close",
      { timeoutMs: 1_000, delayMs: 400, drainTimeoutMs: 600 },
      /delayMs \+ drainTimeoutMs \(1000\) must be below timeoutMs \(1000\)/,
    ],
    ["an unknown signal", { signals: ["SIGNOPE" as NodeJS.Signals] }, /"SIGNOPE" is not a signal name/],
    [
      "signals that are not a list",
      { signals: "SIGTERM" as unknown as NodeJS.Signals[] },
      /signals must be an array/,
    ],
    ["a non-boolean stdin", { stdin: 1 as unknown as boolean }, /stdin must be a boolean, got 1/],
    [
      "a logger without warn",
      { logger: { info() {}, error() {} } as unknown as ShutdownOptions["logger"] },
      /logger must have info, warn and error methods .*missing warn/,
    ],
    ["an exit that is not a function", { exit: 0 as unknown as () => void }, /exit must be a function/],
  ])("rejects %s", (_case, options, message) => {
    const error = thrownBy(() => createShutdown({ signals: [], ...options }));
    expect(error).toBeInstanceOf(ShutdownOptionError);
    expect(error).toMatchObject({ code: "SHUTDOWN_INVALID_OPTION", name: "ShutdownOptionError" });
    expect(error.message).toMatch(/^\[@mcp-persist\/shutdown\] /);
    expect(error.message).toMatch(message);
  });

  it("accepts a budget whose default drain fits in it", () => {
    // drainTimeoutMs defaults to half of what the delay leaves, so a short budget alone is valid.
    expect(() => createShutdown({ signals: [], timeoutMs: 100, delayMs: 60 })).not.toThrow();
  });
});

describe("registrations", () => {
  const { shutdown } = inProcessShutdown();

  it.each<[string, () => unknown, RegExp]>([
    [
      "a store without close() or quit()",
      () => shutdown.addStore({} as never),
      /addStore\(\) needs .*close\(\).*quit\(\)/,
    ],
    [
      "a store that only disconnects",
      () => shutdown.addStore({ disconnect() {} } as never),
      /got an object with keys \[disconnect\]/,
    ],
    [
      "a server without close()",
      () => shutdown.addServer(null as never),
      /addServer\(\) needs a node:http server.*got null/,
    ],
    [
      "a transport without close()",
      () => shutdown.addTransport({ send() {} } as never),
      /addTransport\(\) needs/,
    ],
    [
      "an unknown phase",
      () => shutdown.on("cleanup" as never, () => {}),
      new RegExp(`unknown phase "cleanup"; use one of ${PHASES.join(", ")}`),
    ],
    [
      "a hook that is not a function",
      () => shutdown.on("drain", "later" as never),
      /on\("drain"\): the hook must be a function/,
    ],
  ])("rejects %s", (_case, register, message) => {
    const error = thrownBy(register);
    expect(error).toBeInstanceOf(ShutdownRegistrationError);
    expect(error).toMatchObject({ code: "SHUTDOWN_INVALID_REGISTRATION" });
    expect(error.message).toMatch(message);
  });
});

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw, got none");
}
