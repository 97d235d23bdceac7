import { McpPersistError } from "@mcp-persist/cache-core";
import { memoryStore } from "@mcp-persist/cache-core/testing";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  busyToolResult,
  checkLockOptions,
  checkOnceOptions,
  clearOnce,
  LOCK_BUSY_MESSAGE,
  type LockContext,
  type LockedContext,
  type LockOptions,
  ONCE_UNKNOWN_MESSAGE,
  once,
  withLock,
} from "../src/index";

const store = memoryStore();
const run = (options: LockOptions, resource = "r") => withLock(store, resource, () => "ran", options);

describe("validation", () => {
  it.each([
    [{ ttlMs: -5 }, "ERR_INVALID_TTL", "ttlMs must be a positive finite number of milliseconds, got -5"],
    [{ ttlMs: Number.POSITIVE_INFINITY }, "ERR_INVALID_TTL", "ttlMs must be a positive finite"],
    [
      { ttlMs: Number.NaN },
      "ERR_INVALID_TTL",
      "ttlMs must be a positive finite number of milliseconds, got NaN",
    ],
    // A lease is renewed by timers: past Node's timer limit it would lapse at once.
    [
      { ttlMs: 2 ** 31 },
      "ERR_INVALID_OPTION",
      "ttlMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    // Waits the lock times itself are durations, not TTLs: ERR_INVALID_OPTION, at most 2^31-1 ms.
    [
      { storeTimeoutMs: 0 },
      "ERR_INVALID_OPTION",
      "storeTimeoutMs must be a number of milliseconds above 0 and at most 2147483647",
    ],
    [{ storeTimeoutMs: 2 ** 31 }, "ERR_INVALID_OPTION", "storeTimeoutMs must be a number of milliseconds"],
    [{ retryBaseMs: -1 }, "ERR_INVALID_OPTION", "retryBaseMs must be a number of milliseconds above 0"],
    [{ retryMaxMs: Number.NaN }, "ERR_INVALID_OPTION", "retryMaxMs must be a number of milliseconds"],
    [{ retryMaxMs: 2 ** 31 }, "ERR_INVALID_OPTION", "retryMaxMs must be a number of milliseconds"],
    [
      { waitMs: -1 },
      "ERR_INVALID_OPTION",
      "waitMs must be a number of milliseconds from 0 and at most 2147483647 (about 24.8 days, the longest delay Node's timers hold), got -1",
    ],
    [{ waitMs: Number.POSITIVE_INFINITY }, "ERR_INVALID_OPTION", "waitMs must be"],
    [{ waitMs: 2 ** 31 }, "ERR_INVALID_OPTION", "waitMs must be"],
    [{ onStoreDown: "fail" as never }, "ERR_INVALID_OPTION", 'onStoreDown must be "refuse"'],
    [
      { onStoreDown: "refuse", onStoreError: "fail" } as LockOptions,
      "ERR_INVALID_OPTION",
      "onStoreError is the deprecated name of onStoreDown: pass only onStoreDown",
    ],
    [
      { onStoreError: "ignore" as never },
      "ERR_INVALID_OPTION",
      'onStoreError (deprecated: use onStoreDown) must be "fail" or "proceed"',
    ],
    [{ logger: "console" as never }, "ERR_INVALID_OPTION", "logger must be a pino-style logger"],
    [
      { namespace: Object.create(null) as never },
      "ERR_INVALID_OPTION",
      "namespace must be a non-empty string",
    ],
    [{ signal: {} as AbortSignal }, "ERR_INVALID_OPTION", "signal must be an AbortSignal"],
    [{ namespace: "" }, "ERR_INVALID_OPTION", "namespace must be a non-empty string"],
  ])("rejects %o with %s before touching the store", async (options, code, message) => {
    const error = await run(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpPersistError);
    expect(error).toMatchObject({ code, package: "@mcp-persist/lock" });
    expect((error as Error).message).toContain(`[@mcp-persist/lock] ${message}`);
  });

  it("rejects an empty resource or once key, and resultTtlMs out of range", async () => {
    await expect(run({}, "")).rejects.toMatchObject({ code: "ERR_INVALID_OPTION" });
    await expect(run({}, 42 as never)).rejects.toThrow(/non-empty string.*got number/);
    await expect(once(store, "", () => 1)).rejects.toMatchObject({ code: "ERR_INVALID_OPTION" });
    await expect(once(store, "k", () => 1, { resultTtlMs: 0 })).rejects.toThrow(/resultTtlMs must be/);
  });

  it("refuses a misspelt option name before the function runs: { ttl } would hold the default 30 s lease", async () => {
    let ran = 0;
    const fn = () => ++ran;
    const lock = withLock(store, "r", fn, { ttl: 5000 } as never);
    await expect(lock).rejects.toMatchObject({ code: "ERR_INVALID_OPTION", package: "@mcp-persist/lock" });
    await expect(withLock(store, "r", fn, { ttl: 5000 } as never)).rejects.toThrow(
      '[@mcp-persist/lock] unknown option "ttl"; the options are ttlMs, waitMs, retryBaseMs, retryMaxMs, signal, onStoreDown, onStoreError, storeTimeoutMs, namespace, logger (did you mean "ttlMs"?)',
    );
    // once takes its own two options besides withLock's, and not a lock's misspelling of them.
    await expect(once(store, "k", fn, { resultTTLMs: 5000 } as never)).rejects.toThrow(
      /unknown option "resultTTLMs"; the options are ttlMs, .*, logger, resultTtlMs, codec \(did you mean "resultTtlMs"\?\)$/,
    );
    await expect(withLock(store, "r", fn, { resultTtlMs: 5000 } as never)).rejects.toThrow(
      'unknown option "resultTtlMs"',
    );
    // clearOnce takes the options once took, so one object serves both.
    await expect(clearOnce(store, "k", { namespce: "app" } as never)).rejects.toThrow(
      'unknown option "namespce"',
    );
    await expect(clearOnce(store, "k", { namespace: "app", resultTtlMs: 5000 } as never)).resolves.toBe(
      false,
    );
    expect(ran).toBe(0);
    // The deprecated name still works.
    expect(await run({ onStoreError: "fail" })).toMatchObject({ status: "ran" });
  });

  it("checkLockOptions / checkOnceOptions check options as a call would, without a store", () => {
    expect(() => checkLockOptions({ ttlMs: 1000, waitMs: 0 })).not.toThrow();
    expect(() => checkLockOptions({ ttl: 1 } as never)).toThrow('unknown option "ttl"');
    expect(() => checkLockOptions({ ttlMs: -5 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_TTL", option: "ttlMs", value: -5 }),
    );
    expect(() => checkOnceOptions({ resultTtlMs: 2 ** 60 })).toThrow(/resultTtlMs must be at most/);
    expect(() => checkOnceOptions({ codec: {} as never })).toThrow(/codec must have encode/);
  });

  it("accepts waitMs 0 and fractional milliseconds", async () => {
    expect(await run({ waitMs: 0, ttlMs: 1500.5 })).toMatchObject({ status: "ran", value: "ran" });
  });
});

describe("busyToolResult", () => {
  it("turns busy and unknown outcomes into MCP error results the model can act on", () => {
    expect(busyToolResult({ status: "busy", resource: "r", retryAfterMs: 10, waitedMs: 0 })).toEqual({
      content: [{ type: "text", text: "Operation in progress — try again in a moment" }],
      isError: true,
    });
    expect(busyToolResult({ status: "unknown", resource: "r", retryAfterMs: 10 }).content[0].text).toBe(
      ONCE_UNKNOWN_MESSAGE,
    );
    expect(
      busyToolResult({ status: "busy", resource: "r", retryAfterMs: 0, waitedMs: 0 }, "Later").content[0]
        .text,
    ).toBe("Later");
    expect(LOCK_BUSY_MESSAGE).toBe("Operation in progress — try again in a moment");
  });
});

describe("the context type follows onStoreDown", () => {
  it("is locked by default and may be unlocked only with proceed", async () => {
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>());
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>(), {});
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>(), {
      onStoreDown: "refuse",
    });
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockContext>(), {
      onStoreDown: "proceed",
    });
    // The deprecated name keeps its types for the release it is kept.
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>(), {
      onStoreError: "fail",
    });
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockContext>(), {
      onStoreError: "proceed",
    });
    const options: LockOptions = {};
    await withLock(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockContext>(), options);
    await once(store, "t", (lock) => expectTypeOf(lock).toEqualTypeOf<LockedContext>());
    const result = await once(store, "u", (lock) => lock.fencingToken, { onStoreDown: "proceed" });
    if (result.status === "ran") expectTypeOf(result.lock).toEqualTypeOf<LockContext>();
    expect(result.status).toBe("ran");
  });
});
