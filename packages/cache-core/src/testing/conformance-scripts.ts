import assert from "node:assert/strict";
import { systemClock } from "../clock";
import { createLocalContext, runLocalScript } from "../keyspace-context";
import { memoryKeyspace } from "../memory-keyspace";
import type { Script, ScriptArg, ScriptReply } from "../script";
import type { Store } from "../store";
import { type KeyMaker, type Suite, withStore } from "./conformance-support";
import { sampleScripts } from "./sample-scripts";

const { compareAndDelete, incrWithTtl, getAndPttl, slidingLog } = sampleScripts;
const MINUTE = "60000";

/** One step of a scripted sequence. `slackMs` lets numbers (remaining TTLs) differ by elapsed time. */
interface Step {
  script: Script;
  keys: string[];
  args: ScriptArg[];
  slackMs?: number;
}

/** The same calls for every store; the reference context computes what each must return. */
function sequence(): Step[] {
  return [
    { script: incrWithTtl, keys: ["n"], args: [1, MINUTE] },
    { script: incrWithTtl, keys: ["n"], args: [5, MINUTE] },
    { script: incrWithTtl, keys: ["n"], args: [-2, MINUTE] },
    { script: getAndPttl, keys: ["n"], args: [], slackMs: 5000 },
    { script: compareAndDelete, keys: ["n"], args: ["5"] },
    { script: compareAndDelete, keys: ["n"], args: [4] },
    { script: getAndPttl, keys: ["n"], args: [] },
    { script: compareAndDelete, keys: ["n"], args: ["4"] },
    { script: slidingLog, keys: ["log"], args: [1000, 100, "a", MINUTE] },
    { script: slidingLog, keys: ["log"], args: [1050, 100, "b", MINUTE] },
    { script: slidingLog, keys: ["log"], args: [1050, 100, "b", MINUTE] },
    { script: slidingLog, keys: ["log"], args: [1120, 100, "c", MINUTE] },
    { script: slidingLog, keys: ["log"], args: [1200, 100, "d", MINUTE] },
    { script: slidingLog, keys: ["log"], args: [5000, 100, "e", MINUTE] },
    { script: getAndPttl, keys: ["fresh"], args: [] },
  ];
}

export function scriptTests(suite: Suite): void {
  const { test } = suite;

  test("scripts reply exactly as their JS body does on the reference context", () =>
    withStore(suite, async (store, key) => {
      const reference = createLocalContext(memoryKeyspace(systemClock), systemClock);
      for (const [i, step] of sequence().entries()) {
        const keys = step.keys.map(key);
        const expected = runLocalScript(step.script, reference, keys, step.args);
        const actual = await store.run(step.script, keys, step.args);
        assertReply(actual, expected, step.slackMs ?? 0, `step ${i} (${step.script.name})`);
      }
    }));

  test("a script failing on the reference context (INCR on a non-integer) fails on the store too", () =>
    withStore(suite, async (store, key) => {
      const reference = createLocalContext(memoryKeyspace(systemClock), systemClock);
      reference.set(key("text"), "abc", 60_000);
      assert.throws(() => runLocalScript(incrWithTtl, reference, [key("text")], [1, MINUTE]));
      await store.set(key("text"), "abc", 60_000);
      await assert.rejects(store.run(incrWithTtl, [key("text")], [1, MINUTE]));
      assert.equal(await store.get(key("text")), "abc", "a failed script changes nothing");
    }));

  test("scripts and get/set see the same keyspace", () =>
    withStore(suite, async (store, key) => {
      await store.set(key("shared"), "7", 60_000);
      const [value, pttl] = await store.run(getAndPttl, [key("shared")], []);
      assert.equal(value, "7");
      assert.ok(pttl > 0 && pttl <= 60_000, `PTTL ${pttl} out of (0, 60000]`);
      assert.equal(await store.run(compareAndDelete, [key("shared")], ["7"]), 1);
      assert.equal(await store.get(key("shared")), undefined);
      assert.equal(await store.run(incrWithTtl, [key("count")], [41, MINUTE]), 41);
      assert.equal(await store.get(key("count")), "41");
    }));

  test("runSync is offered only by in-process stores, and agrees with run", () =>
    withStore(suite, async (store, key) => {
      if (store.runSync === undefined) return;
      assert.equal(suite.capabilities.shared, false, "a shared store does I/O and must not offer runSync");
      assert.equal(store.runSync(incrWithTtl, [key("n")], [2, MINUTE]), 2);
      assert.equal(await store.run(incrWithTtl, [key("n")], ["3", MINUTE]), 5, "run sees what runSync wrote");
      assert.equal(store.runSync(incrWithTtl, [key("n")], ["1", MINUTE]), 6, "ARGV already strings");
      const [value, pttl] = store.runSync(getAndPttl, [key("n")], []);
      assert.equal(value, "6");
      assert.ok(pttl > 0 && pttl <= 60_000, `PTTL ${pttl} out of (0, 60000]`);
      await store.set(key("text"), "abc", 60_000);
      assert.throws(
        () => store.runSync?.(incrWithTtl, [key("text")], [1, MINUTE]),
        (error: unknown) => (error as { code?: unknown }).code === "ERR_SCRIPT",
        "a failing script throws what run rejects with",
      );
      await store.close();
      assert.throws(
        () => store.runSync?.(getAndPttl, [key("n")], []),
        (error: unknown) => (error as { code?: unknown }).code === "ERR_STORE_CLOSED",
      );
    }));

  test("scripts are atomic: 200 concurrent increments return 1..200 once each", () =>
    withStore(suite, async (store, key) => {
      const replies = await Promise.all(
        Array.from({ length: 200 }, () => store.run(incrWithTtl, [key("counter")], [1, MINUTE])),
      );
      assert.deepEqual(
        [...replies].sort((a, b) => a - b),
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      await assertExpiring(store, key, "counter");
    }));
}

async function assertExpiring(store: Store, key: KeyMaker, name: string): Promise<void> {
  const [, pttl] = await store.run(getAndPttl, [key(name)], []);
  assert.ok(pttl > 0 && pttl <= 60_000, `the counter has TTL ${pttl}, expected one in (0, 60000]`);
}

/** Deep equality, except that numbers may differ by `slackMs` (remaining TTLs read at different moments). */
function assertReply(actual: ScriptReply, expected: ScriptReply, slackMs: number, label: string): void {
  if (slackMs > 0 && typeof expected === "number" && typeof actual === "number") {
    assert.ok(
      Math.abs(actual - expected) <= slackMs,
      `${label}: ${actual} is not within ${slackMs} of ${expected}`,
    );
    return;
  }
  if (slackMs > 0 && Array.isArray(expected) && Array.isArray(actual) && actual.length === expected.length) {
    expected.forEach((item, i) => assertReply(actual[i] as ScriptReply, item, slackMs, `${label}[${i}]`));
    return;
  }
  assert.deepEqual(actual, expected, label);
}
