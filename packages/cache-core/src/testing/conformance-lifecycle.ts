import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { rejectsWithCode, type Suite } from "./conformance-support";
import { sampleScripts } from "./sample-scripts";

export function lifecycleTests(suite: Suite): void {
  const { test } = suite;

  test("ping resolves to a finite latency ≥ 0 ms", async () => {
    const store = await suite.makeStore();
    try {
      const latency = await store.ping();
      assert.ok(Number.isFinite(latency) && latency >= 0, `ping() gave ${latency}`);
    } finally {
      await store.close();
    }
  });

  test("close lets started calls finish, is idempotent, and later calls reject with ERR_STORE_CLOSED", async () => {
    const store = await suite.makeStore();
    const key = `mcp-persist-conformance:${randomUUID()}:close`;
    const started = Array.from({ length: 50 }, (_, i) => store.set(`${key}:${i}`, "v", 60_000));
    await store.close();
    const settled = await Promise.allSettled(started);
    assert.deepEqual(
      settled.filter((s) => s.status === "rejected"),
      [],
      "calls made before close() must complete",
    );
    await store.close();
    await rejectsWithCode(store.get(key), "ERR_STORE_CLOSED", "get() after close()");
    await rejectsWithCode(store.set(key, "v", 1000), "ERR_STORE_CLOSED", "set() after close()");
    await rejectsWithCode(store.delete(key), "ERR_STORE_CLOSED", "delete() after close()");
    await rejectsWithCode(store.ping(), "ERR_STORE_CLOSED", "ping() after close()");
    await rejectsWithCode(
      store.run(sampleScripts.getAndPttl, [key], []),
      "ERR_STORE_CLOSED",
      "run() after close()",
    );
  });
}
