import type { Script, ScriptArg, ScriptReply, Store } from "@mcp-persist/cache-core";
import { expect } from "vitest";
import { lockScripts } from "../../src/index";
import { lockKeys } from "../../src/keys";
import { freshNamespace } from "./namespace";

/**
 * Every path of every script, in an order where each step depends on the last. Time-dependent
 * numbers are compared by kind: fencing tokens (≥ 1e12) and milliseconds left (> 1).
 */
export async function scriptScenario(store: Store): Promise<ScriptReply[]> {
  const namespace = freshNamespace();
  const a = lockKeys(namespace, "once", "a");
  const b = lockKeys(namespace, "once", "b");
  const fenceTtl = 3_600_000;
  const replies: ScriptReply[] = [];
  const step = async <R extends ScriptReply>(script: Script<R>, keys: string[], args: ScriptArg[]) => {
    replies.push(await store.run(script, keys, args));
  };
  const { acquire, extend, release, onceBegin, onceCommit, onceAbandon } = lockScripts;
  await step(acquire, [a.lock, a.fence], ["t1", 10_000, fenceTtl]);
  await step(acquire, [a.lock, a.fence], ["t2", 10_000, fenceTtl]);
  await step(extend, [a.lock], ["t2", 10_000]);
  await step(extend, [a.lock], ["t1", 20_000]);
  await step(release, [a.lock], ["t2"]);
  await step(release, [a.lock], ["t1"]);
  await step(release, [a.lock], ["t1"]);
  await step(onceBegin, [a.lock, a.fence, a.record], ["t3", 10_000, fenceTtl, 60_000]);
  await step(onceBegin, [a.lock, a.fence, a.record], ["t4", 10_000, fenceTtl, 60_000]);
  await step(onceCommit, [a.lock, a.record], ["t4", "j1", 60_000]);
  await step(onceCommit, [a.lock, a.record], ["t3", 'j{"id":1}', 60_000]);
  await step(onceBegin, [a.lock, a.fence, a.record], ["t5", 10_000, fenceTtl, 60_000]);
  await step(onceAbandon, [a.lock, a.record], ["t5"]);
  // A holder that vanished: its lock is gone, its mark stays.
  await step(onceBegin, [b.lock, b.fence, b.record], ["t6", 10_000, fenceTtl, 60_000]);
  await step(release, [b.lock], ["t6"]);
  await step(onceBegin, [b.lock, b.fence, b.record], ["t7", 10_000, fenceTtl, 60_000]);
  await step(onceAbandon, [b.lock, b.record], ["t6"]);
  await step(onceBegin, [b.lock, b.fence, b.record], ["t7", 10_000, fenceTtl, 60_000]);
  // Its record expired while it ran: it still stores, because it still holds the lock.
  await step(extend, [b.lock], ["t7", 10_000]);
  expect(await store.delete(b.record)).toBe(true);
  await step(onceCommit, [b.lock, b.record], ["t7", "j2", 60_000]);
  await step(onceBegin, [b.lock, b.fence, b.record], ["t8", 10_000, fenceTtl, 60_000]);
  return replies.map(function normalise(reply): ScriptReply {
    if (Array.isArray(reply)) return reply.map(normalise);
    if (typeof reply === "number" && reply >= 1e12) return "<fencing token>";
    if (typeof reply === "number" && reply > 1) return "<ms>";
    return reply as ScriptReply;
  });
}

/** What {@link scriptScenario} replies, step by step. */
export const SCENARIO_REPLIES: ScriptReply[] = [
  ["acquired", "<fencing token>"],
  ["busy", "<ms>"],
  0,
  1,
  0,
  1,
  0,
  ["acquired", "<fencing token>"],
  ["busy", "<ms>"],
  [0, 0],
  [1, 1],
  ["done", 'j{"id":1}'],
  0,
  ["acquired", "<fencing token>"],
  1,
  ["unknown", "<ms>"],
  0,
  ["acquired", "<fencing token>"],
  1,
  [1, 1],
  ["done", "j2"],
];
