import { setTimeout as sleep } from "node:timers/promises";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { clearOnce, type OnceResult, once } from "../src/index";
import { breakScripts } from "./support/fault";
import { freshNamespace } from "./support/namespace";

const redis = useRedis();

describe.each(storeKinds(redis))("once on $name", (kind) => {
  /** A side effect that counts how often it really happened. */
  function sender() {
    const sent: number[] = [];
    return {
      sent,
      send: async (lock: { fencingToken: number }) => {
        sent.push(lock.fencingToken);
        await sleep(20);
        return { messageId: `m-${sent.length}`, at: new Date(1_700_000_000_000) };
      },
    };
  }

  it("runs the side effect exactly once under 50 concurrent callers; waiters get its result", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { sent, send } = sender();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        once(store, "email:u1", send, { namespace, waitMs: 5000, retryMaxMs: 20 }),
      ),
    );
    expect(sent).toHaveLength(1);
    expect(results.filter((r) => r.status === "ran")).toHaveLength(1);
    expect(results.filter((r) => r.status === "done")).toHaveLength(49);
    for (const result of results) {
      if (result.status === "ran" || result.status === "done") {
        expect(result.value).toEqual({ messageId: "m-1", at: new Date(1_700_000_000_000) });
      }
    }
  });

  it("answers busy to callers that do not wait, then the stored result to retries", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { sent, send } = sender();
    const first = once(store, "email:u1", send, { namespace });
    await sleep(5);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => once(store, "email:u1", send, { namespace })),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(10).fill("busy"));
    expect(await first).toMatchObject({ status: "ran", stored: true, released: true });
    const retries: OnceResult<unknown>[] = [];
    for (let i = 0; i < 5; i++) retries.push(await once(store, "email:u1", send, { namespace }));
    expect(retries.map((r) => r.status)).toEqual(Array(5).fill("done"));
    expect(sent).toHaveLength(1);
  });

  it("runs again after the side effect threw (it did not happen)", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error("smtp 451, try later");
      return "sent";
    };
    await expect(once(store, "k", flaky, { namespace })).rejects.toThrow("smtp 451");
    expect(await once(store, "k", flaky, { namespace })).toMatchObject({ status: "ran", value: "sent" });
    expect(await once(store, "k", flaky, { namespace })).toMatchObject({ status: "done", value: "sent" });
    expect(calls).toBe(2);
  });

  it("never repeats a side effect whose result could not be stored: unknown until cleared", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { sent, send } = sender();
    // The store fails right after the side effect, before the result is recorded.
    const crashed = await once(breakScripts(store, ["once-commit"], "reject"), "k", send, {
      namespace,
      ttlMs: 200,
    });
    expect(crashed).toMatchObject({ status: "ran", stored: false });
    await sleep(300); // the crashed holder's lease lapses
    const retry = await once(store, "k", send, { namespace });
    expect(retry).toMatchObject({ status: "unknown", resource: "k" });
    if (retry.status === "unknown") expect(retry.retryAfterMs).toBeGreaterThan(60_000);
    expect(sent).toHaveLength(1);

    expect(await clearOnce(store, "k", { namespace })).toBe(true);
    expect(await once(store, "k", send, { namespace })).toMatchObject({ status: "ran", stored: true });
    expect(sent).toHaveLength(2);
  });

  it("keeps a value the codec refuses from running twice", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    let calls = 0;
    const result = await once(
      store,
      "k",
      () => {
        calls++;
        return { callback: () => {} };
      },
      { namespace },
    );
    expect(result).toMatchObject({ status: "ran", stored: false, released: true });
    expect(await once(store, "k", () => calls++, { namespace })).toMatchObject({ status: "unknown" });
    expect(calls).toBe(1);
  });

  it("refuses a codec without encode/decode before the side effect runs, so retries do not read unknown", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { sent, send } = sender();
    for (const codec of [{}, { encode: JSON.stringify }, null]) {
      await expect(once(store, "k", send, { namespace, codec: codec as never })).rejects.toMatchObject({
        code: "ERR_INVALID_OPTION",
        message: expect.stringContaining(
          "[@mcp-persist/lock] codec must have encode(value) and decode(text)",
        ),
      });
    }
    expect(sent).toHaveLength(0);
    expect(await once(store, "k", send, { namespace })).toMatchObject({ status: "ran", stored: true });
  });

  // Redis refuses a PX it cannot add to its clock, and 1e21 is sent as "1e+21": every call
  // failed as a store outage (with onStoreDown "proceed", the side effect ran unlocked each time).
  it.each([1e19, Number.MAX_VALUE])(
    "refuses resultTtlMs %d, past what a store can keep, before touching the store",
    async (resultTtlMs) => {
      const store = kind.open();
      const namespace = freshNamespace();
      const { sent, send } = sender();
      const options = { namespace, resultTtlMs, onStoreDown: "proceed" } as const;
      const unlockedSend = () => send({ fencingToken: 0 });
      await expect(once(store, "k", unlockedSend, options)).rejects.toMatchObject({
        code: "ERR_INVALID_OPTION",
        message: expect.stringContaining("resultTtlMs must be at most 9007199254740991 ms"),
      });
      expect(sent).toHaveLength(0);
      const longest = { namespace, resultTtlMs: Number.MAX_SAFE_INTEGER };
      expect(await once(store, "k", send, longest)).toMatchObject({ status: "ran", stored: true });
      expect(await once(store, "k", send, longest)).toMatchObject({ status: "done" });
    },
  );

  it("forgets results after resultTtlMs", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { sent, send } = sender();
    await once(store, "k", send, { namespace, resultTtlMs: 100 });
    await sleep(200);
    expect(await once(store, "k", send, { namespace, resultTtlMs: 100 })).toMatchObject({ status: "ran" });
    expect(sent).toHaveLength(2);
  });
});
