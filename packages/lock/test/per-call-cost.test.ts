import { createHook } from "node:async_hooks";
import { PATIENT_TIMEOUT_MS, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { withLock } from "../src/index";
import { freshNamespace } from "./support/namespace";

const redis = useRedis();

/** How many timers (`setTimeout`, `setInterval`) the process creates while `run` runs. */
async function timersCreatedDuring(run: () => Promise<void>): Promise<number> {
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "Timeout") timers++;
    },
  });
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return timers;
}

describe.each(storeKinds(redis))("an uncontended withLock on $name", (kind) => {
  it("arms no timer of its own: its lease is renewed by the process's one lease clock", async () => {
    const store = kind.open();
    // The store's own deadline and no longer a wait: the store caller then adds no timer either
    // (an in-process store states a deadline of 0: its calls are settled when they return).
    const options = { namespace: freshNamespace(), storeTimeoutMs: PATIENT_TIMEOUT_MS };
    const call = async () => {
      const result = await withLock(store, "r", () => "done", options);
      expect(result).toMatchObject({ status: "ran", value: "done", released: true });
    };
    // The first calls arm the shared timers (the lease clock's, the store's deadline sweep).
    await call();
    const calls = 20;
    const timers = await timersCreatedDuring(async () => {
      for (let i = 0; i < calls; i++) await call();
    });
    // A timer per call (a lease's own renewal timer, node-redis' per-command timeout, a deadline
    // raced against a store call) would make it at least `calls`; the shared timers may be armed
    // again once or twice meanwhile.
    expect(timers).toBeLessThanOrEqual(3);
  });
});
