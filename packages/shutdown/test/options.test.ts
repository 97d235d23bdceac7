import {
  createShutdown,
  InvalidOptionError,
  PHASES,
  ShutdownError,
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
    ["a non-boolean stdin", { stdin: 1 as unknown as boolean }, /stdin must be true or false, got 1/],
    [
      "a logger without warn",
      { logger: { debug() {}, info() {}, error() {} } as unknown as ShutdownOptions["logger"] },
      /logger must have debug, info, warn and error methods .*missing warn/,
    ],
    [
      // The contract every mcp-persist package shares: cache-core's Logger has debug too.
      "a logger without debug",
      { logger: { info() {}, warn() {}, error() {} } as unknown as ShutdownOptions["logger"] },
      /logger must have debug, info, warn and error methods .*missing debug/,
    ],
    ["an exit that is not a function", { exit: 0 as unknown as () => void }, /exit must be a function/],
    // Node's timers hold at most 2^31 - 1 ms; a longer delay fires after 1 ms.
    ["a timeout past Node's timer limit", { timeoutMs: 2 ** 31 }, /timeoutMs must be at most 2147483647 ms/],
    [
      "a delay past Node's timer limit",
      { delayMs: 2 ** 31, timeoutMs: 2 ** 31 - 1 },
      /delayMs must be at most 2147483647 ms .*got 2147483648/,
    ],
    [
      "a drain past Node's timer limit",
      { drainTimeoutMs: 2 ** 40 },
      /drainTimeoutMs must be at most 2147483647 ms/,
    ],
    [
      "a misspelt option",
      { timeout: 5_000 } as ShutdownOptions,
      /unknown option "timeout"; the options are signals, .* \(did you mean "timeoutMs"\?\)$/,
    ],
    // Values that cannot go through String() or JSON.stringify still make a readable message.
    ["a BigInt", { stdin: 10n as unknown as boolean }, /stdin must be true or false, got 10n/],
    [
      "a symbol",
      { stdin: Symbol("yes") as unknown as boolean },
      /stdin must be true or false, got Symbol\(yes\)/,
    ],
    [
      "an object without a prototype",
      { exit: Object.create(null) as () => void },
      /exit must be a function .*got an object with keys \[\]/,
    ],
    [
      "a value whose keys cannot be listed",
      {
        exit: new Proxy(
          {},
          {
            ownKeys() {
              throw new Error("no keys for you");
            },
          },
        ) as () => void,
      },
      /exit must be a function .*got an unprintable object/,
    ],
  ])("rejects %s", (_case, options, message) => {
    const error = thrownBy(() => createShutdown({ signals: [], ...options }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(ShutdownError);
    // The deprecated name is the same class, so existing `instanceof` checks still hold.
    expect(error).toBeInstanceOf(ShutdownOptionError);
    expect(error).toMatchObject({
      code: "ERR_INVALID_OPTION",
      name: "InvalidOptionError",
      package: "@mcp-persist/shutdown",
    });
    expect(error.message).toMatch(/^\[@mcp-persist\/shutdown\] /);
    expect(error.message).toMatch(message);
  });

  it.each(["SIGKILL", "SIGSTOP"] as const)(
    "rejects %s, which no process can catch, before installing any handler",
    (uncatchable) => {
      const before = process.listenerCount("SIGTERM");
      const error = thrownBy(() => createShutdown({ signals: ["SIGTERM", uncatchable] }));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error.message).toContain(`signals: ${uncatchable} cannot be caught`);
      expect(process.listenerCount("SIGTERM")).toBe(before);
    },
  );

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", []],
    ["a string", "fast"],
    ["a number", 42],
  ])("rejects options that are %s", (_case, options) => {
    const error = thrownBy(() => createShutdown(options as ShutdownOptions));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toMatch(/options must be an object, got /);
  });

  // Only an option left out takes its default, as in every mcp-persist package: `null` is a
  // value, refused like any other wrong one, not read as the default.
  it.each<[keyof ShutdownOptions, RegExp]>([
    ["signals", /signals must be an array of signal names, got null/],
    ["stdin", /stdin must be true or false, got null/],
    ["timeoutMs", /timeoutMs must be a positive finite number of milliseconds, got null/],
    ["delayMs", /delayMs must be zero or a positive finite number of milliseconds, got null/],
    ["drainTimeoutMs", /drainTimeoutMs must be zero or a positive finite number of milliseconds, got null/],
    ["logger", /logger must have debug, info, warn and error methods/],
    ["exit", /exit must be a function taking the exit code, got null/],
  ])("refuses %s: null, instead of reading it as the default", (option, message) => {
    const error = thrownBy(() => createShutdown({ signals: [], [option]: null } as ShutdownOptions));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", package: "@mcp-persist/shutdown" });
    expect(error.message).toMatch(message);
  });

  it("takes the default for an option given as undefined", () => {
    const leftOut = Object.fromEntries(
      ["stdin", "timeoutMs", "delayMs", "drainTimeoutMs", "logger", "exit"].map((name) => [name, undefined]),
    );
    expect(() => createShutdown({ signals: [], ...leftOut })).not.toThrow();
  });

  it("accepts the longest timeout Node's timers hold", () => {
    expect(() => createShutdown({ signals: [], timeoutMs: 2 ** 31 - 1 })).not.toThrow();
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
    // Found by tools/fuzz: phases that cannot become a property key threw a TypeError.
    [
      "a phase without a prototype",
      () => shutdown.on(Object.create(null) as never, () => {}),
      /unknown phase an object with keys \[\]; use one of/,
    ],
    [
      "a phase whose toString returns an object",
      () => shutdown.on({ toString: () => ({}) } as never, () => {}),
      /unknown phase an object with keys \[toString\]/,
    ],
    [
      "a phase that names an Object.prototype member",
      () => shutdown.on("toString" as never, () => {}),
      /unknown phase "toString"/,
    ],
    [
      "a hook that is not a function",
      () => shutdown.on("drain", "later" as never),
      /on\("drain"\): the hook must be a function/,
    ],
  ])("rejects %s", (_case, register, message) => {
    const error = thrownBy(register);
    expect(error).toBeInstanceOf(ShutdownRegistrationError);
    expect(error).toMatchObject({ code: "ERR_INVALID_ARGUMENT", name: "ShutdownRegistrationError" });
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
