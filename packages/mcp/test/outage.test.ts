import type { Logger } from "@mcp-persist/cache-core";
import { redisStoreKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createEventStore, createSessionState, EventReplayError } from "../src/index";

const redis = useRedis();
const kinds = redisStoreKinds(redis);

function recordingLogger() {
  const warnings: Record<string, unknown>[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (obj) => warnings.push(obj as never) };
  return { logger, warnings };
}

/** Settles within `ms`, or rejects: a bound on a store call made while Redis does not answer. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms)),
  ]);
}

describe.each(kinds)("Redis frozen under $name", (kind) => {
  it("storeEvent still hands out ids, bounded by storeTimeoutMs, warns once; replay after them fails cleanly", async () => {
    const { logger, warnings } = recordingLogger();
    const events = createEventStore(kind.open({ timeoutMs: 200 }), { storeTimeoutMs: 200, logger });
    const stored = await events.storeEvent("s", { jsonrpc: "2.0", method: "m" });
    redis().freeze();
    try {
      const ids = await within(5000, Promise.all([1, 2, 3].map((n) => events.storeEvent("s", { n }))));
      expect(new Set(ids).size).toBe(3);
      expect(await events.getStreamIdForEventId(ids[0] as string)).toBe("s");
      await expect(
        events.replayEventsAfter(ids[0] as string, { send: async () => {} }),
      ).rejects.toBeInstanceOf(EventReplayError);
      expect(warnings.filter((w) => w.event === "mcp_event_not_stored")).toHaveLength(1);
      // Replaying a stored id needs the store: it rejects (the SDK answers 500), within the bound.
      await expect(
        within(5000, events.replayEventsAfter(stored, { send: async () => {} })),
      ).rejects.toThrow();
    } finally {
      redis().thaw();
    }
  });

  it("session state answers undefined and false, never rejects, within storeTimeoutMs", async () => {
    const { logger, warnings } = recordingLogger();
    const sessions = createSessionState(kind.open({ timeoutMs: 200 }), { storeTimeoutMs: 200, logger });
    const state = sessions.forSession("s");
    expect(await state.set("a", 1)).toBe(true);
    redis().freeze();
    try {
      expect(await within(5000, state.get("a"))).toBeUndefined();
      expect(await within(5000, state.set("a", 2))).toBe(false);
      expect(await within(5000, state.delete("a"))).toBe(false);
      expect(await within(5000, sessions.end("s"))).toBe(false);
      expect(warnings.filter((w) => w.event === "mcp_session_state_unavailable")).toHaveLength(1);
    } finally {
      redis().thaw();
    }
  });
});
