import { randomUUID } from "node:crypto";
import type { Script, ScriptArg, Store } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { expect } from "vitest";
import { ClockedRedis } from "./clocked-redis";
import type { Outcome } from "./key-state";
import { localSide } from "./local-side";

/** One call of a parity sequence. */
export interface ParityCall {
  script: Script;
  /** Keys as the script sees them; the helper prefixes them with a fresh run id on every side. */
  keys: readonly string[];
  /** Arguments, or a function of the clock's time (ms) for a call that names a time, such as a refund. */
  args: readonly ScriptArg[] | ((now: number) => readonly ScriptArg[]);
  /** Milliseconds the clock moves forward before this call (scripts read it through TIME). @default 0 */
  advanceMs?: number;
}

/** What {@link expectParity} takes besides the calls. */
export interface ParityOptions {
  /** Milliseconds the clock moves after the last call, before every key is compared once more. @default 0 */
  settleMs?: number;
  /** Epoch ms the clock starts at. @default 1_700_000_000_000 */
  start?: number;
}

/** Reads its keys and changes nothing: the final comparison of every key a sequence touched. */
const noop = defineScript<number>({
  name: "kit-noop",
  lua: "-- KEYS: any keys, left as they are\nreturn 0\n",
  local: () => 0,
});

/**
 * Runs `calls` through each script's JS body (an in-process store on cache-core's reference
 * keyspace) and through its Lua body on every store in `redis` (each against a real server, at
 * the same injected time), and expects, call after call, the same reply (or both failing) and the
 * same state of the call's keys: type, content and TTL. Then, `settleMs` later, the same state of
 * every key the sequence touched. A mismatch names the call, the script and the store.
 */
export async function expectParity(
  redis: readonly Store[],
  calls: readonly ParityCall[],
  { settleMs = 0, start }: ParityOptions = {},
): Promise<void> {
  const clock = createManualClock(start);
  const local = localSide(clock);
  const remotes = redis.map((store) => new ClockedRedis(store, clock));
  const prefix = `parity-${randomUUID()}:`;
  const touched = new Set<string>();
  const step = async (call: ParityCall, index: number | "settled") => {
    const keys = call.keys.map((key) => prefix + key);
    const args = typeof call.args === "function" ? call.args(clock.now()) : call.args;
    for (const key of keys) touched.add(key);
    const expected = comparable(await local.call(call.script, keys, args));
    for (const remote of remotes) {
      const actual = comparable(await remote.call(call.script, keys, args));
      const where = index === "settled" ? "after the last call" : `call ${index}`;
      expect(
        actual,
        `${where}: ${call.script.name}(${JSON.stringify(call.keys)}, ${JSON.stringify(args)}) on ${remote.redis.name}`,
      ).toEqual(expected);
    }
  };
  try {
    for (const [index, call] of calls.entries()) {
      clock.advance(call.advanceMs ?? 0);
      await step(call, index);
    }
    clock.advance(settleMs);
    await step(
      { script: noop, keys: [...touched].map((key) => key.slice(prefix.length)), args: [] },
      "settled",
    );
  } finally {
    await local.store.close();
    await Promise.all(remotes.map((remote) => remote.clear()));
  }
}

/** A failure's details differ between sides; that it failed, and where the keys stand, must not. */
function comparable(outcome: Outcome): Outcome | { failed: true } {
  return "failed" in outcome ? { failed: true } : outcome;
}
