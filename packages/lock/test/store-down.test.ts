import type { Logger } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LockUnavailableError, once, withLock } from "../src/index";
import { breakScripts } from "./support/fault";
import { freshNamespace } from "./support/namespace";

// In process, with scripts made to fail: what the lock does while its store is down, what it
// logs, and how long it waits by default. (Real Redis outages: outage.test.ts.)

afterEach(() => {
  vi.restoreAllMocks();
});

/** A logger that keeps what it was given. */
function recordingLogger(): Logger & {
  warnings: Array<{ fields: Record<string, unknown>; message?: string }>;
} {
  const warnings: Array<{ fields: Record<string, unknown>; message?: string }> = [];
  const ignore = () => {};
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (fields, message) => warnings.push({ fields: fields as Record<string, unknown>, message }),
  };
}

describe("onStoreDown", () => {
  it('"refuse" (the default) rejects with LockUnavailableError, whose message names the option', async () => {
    const store = breakScripts(lruStore(), ["lock-acquire"], "reject");
    const error = await withLock(store, "r", () => "ran", { namespace: freshNamespace() }).catch((e) => e);
    expect(error).toBeInstanceOf(LockUnavailableError);
    expect((error as Error).message).toContain('set onStoreDown: "proceed" to run without the lock');
  });

  it('"proceed" runs unlocked and logs the store error itself as err, once per outage rather than per call', async () => {
    const store = breakScripts(lruStore(), ["lock-acquire", "once-begin"], "reject");
    const logger = recordingLogger();
    const options = { namespace: freshNamespace(), onStoreDown: "proceed", logger } as const;
    const results = [
      await withLock(store, "r", (lock) => lock.locked, options),
      await withLock(store, "r", (lock) => lock.locked, options),
      await once(store, "k", (lock) => lock.locked, options),
    ];
    expect(results).toMatchObject([
      { status: "ran", value: false },
      { status: "ran", value: false },
      { status: "ran", value: false, stored: false },
    ]);
    expect(logger.warnings).toHaveLength(1);
    const { fields, message } = logger.warnings[0] ?? { fields: {} };
    expect(fields).toMatchObject({ event: "lock_unavailable_proceeding", store: store.name });
    expect(fields.err).toBeInstanceOf(Error);
    expect((fields.err as Error).message).toBe("lock-acquire failed on purpose");
    expect(fields).not.toHaveProperty("error");
    expect(message).toContain("without the lock");
  });

  it("logs a failed release with the error object as err and a message", async () => {
    const store = breakScripts(lruStore(), ["lock-release"], "reject");
    const logger = recordingLogger();
    const result = await withLock(store, "r", () => "ran", { namespace: freshNamespace(), logger });
    expect(result).toMatchObject({ status: "ran", value: "ran", released: false });
    expect(logger.warnings).toEqual([
      {
        fields: { event: "lock_release_failed", store: store.name, err: expect.any(Error) },
        message: expect.stringContaining("could not release"),
      },
    ]);
  });

  it("still honours the deprecated onStoreError, with one DeprecationWarning per process", async () => {
    // A fresh copy of the packages: the warning is once per process, whatever ran before.
    vi.resetModules();
    const fresh = await import("../src/index");
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const store = breakScripts(lruStore(), ["lock-acquire"], "reject");
    const namespace = freshNamespace();
    const refused = await fresh
      .withLock(store, "r", () => "ran", { namespace, onStoreError: "fail" })
      .catch((e) => e);
    const proceeded = await fresh.withLock(store, "r", (lock) => lock.locked, {
      namespace,
      onStoreError: "proceed",
    });
    expect(refused).toMatchObject({ code: "ERR_LOCK_UNAVAILABLE" });
    expect(proceeded).toMatchObject({ status: "ran", value: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]).toEqual([
      expect.stringContaining("onStoreError option is deprecated"),
      { type: "DeprecationWarning", code: "MCP_PERSIST_DEPRECATED" },
    ]);
    expect(String(warn.mock.calls[0]?.[0])).toContain('onStoreDown: "refuse" | "proceed"');
  });
});

describe("storeTimeoutMs", () => {
  it("defaults to DEFAULT_STORE_TIMEOUT_MS (250 ms), on a store with no deadline of its own", async () => {
    const store = breakScripts(lruStore(), ["lock-acquire"], "hang");
    const error = await withLock(store, "r", () => "ran", { namespace: freshNamespace() }).catch((e) => e);
    expect(error).toBeInstanceOf(LockUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: "ERR_STORE_TIMEOUT", package: "@mcp-persist/lock" });
    expect(((error as Error).cause as Error).message).toContain("did not answer within 250 ms");
  });
});
