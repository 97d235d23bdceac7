import { clearOnce, once, withLock } from "@mcp-persist/lock";
import { hostileValue } from "@mcp-persist/test-kit/arbitraries";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duration, field, injection, name, optionsOf } from "./support/names";
import { reportInputs, runs, tally, tried1 } from "./support/runs";
import { openStore, storeChoice } from "./support/stores";
import { settledTyped } from "./support/typed";

reportInputs("lock");

const lockOptions = {
  ttlMs: duration,
  waitMs: fc.constantFrom(0, 10, 50),
  retryBaseMs: fc.constantFrom(1, 25),
  retryMaxMs: fc.constantFrom(5, 1000),
  signal: fc.oneof(
    { weight: 5, arbitrary: fc.constant(new AbortController().signal) },
    { weight: 1, arbitrary: fc.constant(AbortSignal.abort(new Error("aborted"))) },
  ),
  onStoreDown: fc.constantFrom("proceed", "refuse"),
  storeTimeoutMs: fc.constantFrom(50, 250),
  namespace: name,
  logger: fc.constant({ debug() {}, info() {}, warn() {}, error() {} }),
};
const onceOptions = {
  ...lockOptions,
  resultTtlMs: duration,
  codec: fc.constant({ encode: JSON.stringify, decode: JSON.parse }),
};
const valueFn = async () => "value";
const fn = fc.oneof({ weight: 5, arbitrary: fc.constant(valueFn) }, { weight: 1, arbitrary: hostileValue });

/** The caller's own signal reason, and what the function returns, are the expected non-library outcomes. */
const aborted = (error: unknown) => error instanceof Error && error.message === "aborted";

describe("withLock, once and clearOnce, given any store, name, function and options", () => {
  it("withLock resolves ran/busy or rejects with a typed error (in both argument orders)", async () => {
    await fc.assert(
      fc.asyncProperty(
        storeChoice,
        field(name),
        fn,
        optionsOf(lockOptions, { also: ["onStoreError"] }),
        fc.boolean(),
        async (choice, resource, f, options, legacy) => {
          tried1();
          const store = openStore(choice);
          try {
            const outcome = tally(
              "withLock",
              await settledTyped(
                () =>
                  legacy
                    ? withLock(store, resource as never, options as never, f as never)
                    : withLock(store, resource as never, f as never, options as never),
                (error) => aborted(error) || f !== valueFn, // a junk function's own error is its own
              ),
            );
            if (outcome.ok) {
              expect(["ran", "busy"]).toContain(outcome.value.status);
              if (outcome.value.status === "ran" && f === valueFn) expect(outcome.value.value).toBe("value");
            }
          } finally {
            await store.close();
          }
        },
      ),
      runs(700),
    );
  });

  it("once resolves ran/done/busy/unknown or rejects with a typed error; clearOnce resolves a boolean or rejects typed", async () => {
    await fc.assert(
      fc.asyncProperty(
        storeChoice,
        field(name),
        fn,
        optionsOf(onceOptions, { also: ["onStoreError"] }),
        async (choice, key, f, options) => {
          tried1();
          const store = openStore(choice);
          try {
            for (let i = 0; i < 2; i++) {
              const outcome = tally(
                "once",
                await settledTyped(
                  () => once(store, key as never, f as never, options as never),
                  (error) => aborted(error) || f !== valueFn,
                ),
              );
              if (outcome.ok) {
                expect(["ran", "done", "busy", "unknown"]).toContain(outcome.value.status);
                const { status } = outcome.value;
                if ((status === "ran" || status === "done") && f === valueFn)
                  expect(outcome.value.value).toBe("value");
              }
            }
            const cleared = await settledTyped(
              () => clearOnce(store, key as never, options as never),
              (e) => e instanceof Error && e.message.startsWith("faulty store:"),
            );
            if (cleared.ok) expect(cleared.value).toEqual(expect.any(Boolean));
          } finally {
            await store.close();
          }
        },
      ),
      runs(600),
    );
  });

  it("a store that is not one is a typed error", async () => {
    // Anything but a store, objects with some of a store's methods included: a Map or a Set
    // (delete()), an object with run() alone, a store's methods without capabilities.
    const partial = fc
      .subarray(["get", "set", "delete", "run", "ping", "close", "capabilities"], { minLength: 1 })
      .filter((members) => members.length < 7)
      .map((members) =>
        Object.fromEntries(members.map((m) => [m, m === "capabilities" ? {} : async () => undefined])),
      );
    const notStore = fc.oneof(hostileValue, partial, fc.constantFrom(new Map(), new Set()));
    await fc.assert(
      fc.asyncProperty(notStore, injection, async (store, resource) => {
        tried1();
        const calls = [
          () => withLock(store as never, resource, async () => 1),
          () => once(store as never, resource, async () => 1),
          () => clearOnce(store as never, resource),
        ];
        for (const call of calls) {
          const outcome = await settledTyped<unknown>(call);
          expect(outcome.ok).toBe(false);
          expect(outcome.error).toMatchObject({ code: "ERR_INVALID_OPTION" });
        }
      }),
      runs(400),
    );
  });
});
