import { createHealth, redisCheck } from "@mcp-persist/health";
import { createShutdown, PHASES } from "@mcp-persist/shutdown";
import { hostileValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLogger } from "./support/capture-logger";
import { duration, field, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { settledTyped, typedOutcome } from "./support/typed";
import { watchUnhandled } from "./support/unhandled";

reportInputs("health and shutdown");
const unhandled = watchUnhandled();

const bool = fc.boolean();
/** Values a check may throw: anything, and the ones a message cannot be made of. */
const thrown = fc.oneof(
  { weight: 4, arbitrary: hostileValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Object.create(null),
      { toString: () => ({}) },
      Symbol("thrown"),
      new Error("boom"),
    ),
  },
);
/** What a check's run (or a hook, or a close) may do: answer anything, throw anything, or never settle. */
const behaviour = fc.oneof(
  hostileValue.map((value) => () => value),
  fc
    .tuple(fc.constantFrom("pass", "warn", "fail"), fc.oneof(hostileValue, thrown))
    .map(([status, output]) => () => ({ status, output })),
  thrown.map((value) => () => {
    throw value;
  }),
  thrown.map((value) => async () => Promise.reject(value)),
  fc.constant(() => new Promise((resolve) => setTimeout(resolve, 40))), // later than every test timeout
);
const check = optionsOf(
  {
    name,
    measurement: name,
    componentId: name,
    componentType: name,
    critical: bool,
    timeoutMs: fc.constantFrom(5, 20),
    warnAfterMs: fc.constantFrom(0, 5, 1000),
    run: behaviour,
  },
  { required: ["name", "run"] },
);
/** Checks, now and then with holes (`[, check]`): a hole is a check that is missing. */
const checks = fc.oneof(
  { weight: 4, arbitrary: fc.array(check, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.sparseArray(check, { maxLength: 3 }) },
);
const healthOptions = optionsOf({
  checks,
  timeoutMs: fc.constantFrom(5, 20),
  cacheMs: fc.constantFrom(0, 10),
  shutdown: fc.constant({ isShuttingDown: () => false }),
  paths: fc.record(
    {
      live: fc.constantFrom("/livez", "/a"),
      ready: fc.constantFrom("/readyz", "/b"),
      health: name.map((p) => `/${p}`),
    },
    { requiredKeys: [] },
  ),
  version: name,
  releaseId: name,
  serviceId: name,
  description: name,
});

describe("createHealth and redisCheck, given anything", () => {
  it("throw a typed error, or report (with any check behaviour) without ever rejecting", async () => {
    await fc.assert(
      fc.asyncProperty(healthOptions, field(name), async (options, path) => {
        tried1();
        const health = tally(
          "createHealth",
          typedOutcome(() => createHealth(options as never)),
        );
        if (!health.ok) return;
        const report = await settledTyped(
          () => health.value.report(),
          () => false,
        );
        expect(report.value?.status).toMatch(/^(pass|warn|fail)$/);
        // health+json's output is text: whatever a check answered or threw is written as a string.
        for (const results of Object.values(report.value?.checks ?? {})) {
          for (const result of results) expect(["string", "undefined"]).toContain(typeof result.output);
        }
        const url = `http://h/${typeof path === "string" ? path.replace(/[^\w/.-]/g, "_") : "readyz"}`;
        const response = await settledTyped(
          () => health.value.fetch(new Request(url)),
          () => false,
        );
        expect(response.value).toBeInstanceOf(Response);
        expect(await unhandled.since()).toEqual([]);
      }),
      runs(500),
    );
  });

  it("redisCheck takes a pingable and its options, or throws a typed error", () => {
    const pingable = fc.oneof(fc.constant({ ping: async () => 1 }), hostileValue);
    fc.assert(
      fc.property(
        pingable,
        optionsOf({ name, componentId: name, critical: bool, timeoutMs: duration, warnAfterMs: duration }),
        (target, options) => {
          tried1();
          tally(
            "redisCheck",
            typedOutcome(() => redisCheck(target as never, options as never)),
          );
        },
      ),
      runs(400),
    );
  });
});

describe("createShutdown, given anything", () => {
  // createShutdown installs signal handlers for its `signals` and cannot take them back: the ones
  // this test adds are removed after each run, so the process keeps only its own.
  const signals = ["SIGTERM", "SIGINT", "SIGHUP", "SIGUSR2"] as const;
  let before: Map<string, Function[]>;
  beforeEach(() => {
    before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  });
  const removeAdded = () => {
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.includes(listener)) process.off(signal, listener as never);
      }
    }
  };
  afterEach(removeAdded);

  it("throws a typed error, or registers and shuts down whatever it is given without rejecting", async () => {
    const options = optionsOf(
      {
        signals: fc.subarray([...signals]),
        timeoutMs: fc.constantFrom(300, 25_000),
        delayMs: fc.constantFrom(0, 5),
        drainTimeoutMs: fc.constantFrom(0, 20),
        logger: fc.constant(captureLogger().logger),
        exit: fc.constant(() => {}),
      },
      { required: ["logger"] },
    );
    /** Phases that are none: anything, and values that cannot even become a property key. */
    const notPhase = fc.oneof(
      { weight: 4, arbitrary: hostileValue },
      { weight: 1, arbitrary: fc.constantFrom(Object.create(null), { toString: () => ({}) }, "toString") },
    );
    // Each method gets its kind of target — a store or transport whose close()/quit() returns
    // what it may, an HTTP server that closes through a callback (what its close() returns is
    // ignored, as node:http's is) — or now and then anything at all.
    const closable = fc.oneof(
      behaviour.map((close) => ({ close })),
      behaviour.map((quit) => ({ quit })),
    );
    const server = behaviour.map((settle) => ({
      close: (done?: (error?: unknown) => void) => {
        Promise.resolve()
          .then(settle)
          .then(
            () => done?.(),
            (error: unknown) => done?.(error),
          );
      },
    }));
    const registration = fc.array(
      fc.oneof(
        fc.tuple(
          fc.constantFrom("addStore" as const, "addTransport" as const),
          fc.oneof(closable, hostileValue),
        ),
        fc.tuple(fc.constant("addServer" as const), fc.oneof(server, hostileValue)),
        fc.tuple(fc.constant("on" as const), fc.oneof(fc.constantFrom(...PHASES), notPhase), behaviour),
      ),
      { maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(options, registration, async (given, registrations) => {
        tried1();
        const made = tally(
          "createShutdown",
          typedOutcome(() => createShutdown(given as never)),
        );
        removeAdded();
        if (!made.ok) return;
        const shutdown = made.value;
        for (const [method, target, hook] of registrations) {
          tally(
            method,
            typedOutcome(() =>
              method === "on"
                ? shutdown.on(target as never, hook as never)
                : shutdown[method](target as never),
            ),
          );
        }
        // Run it only where it is quick and cannot leave the process: a test-owned exit, a short budget.
        const quick =
          typeof given === "object" &&
          given !== null &&
          (given as { timeoutMs?: unknown }).timeoutMs === 300 &&
          typeof (given as { exit?: unknown }).exit === "function";
        if (!quick) return void expect(await unhandled.since()).toEqual([]);
        const code = await settledTyped(
          () => shutdown.shutdown("fuzz"),
          () => false,
        );
        expect([0, 1]).toContain(code.value);
        expect(await unhandled.since()).toEqual([]);
      }),
      runs(400),
    );
  });
});
