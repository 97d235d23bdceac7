import { setTimeout as sleep } from "node:timers/promises";
import { PATIENT_TIMEOUT_MS, storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { type LockResult, withLock } from "../src/index";
import { lockKeys } from "../src/keys";
import { breakScripts, type ScriptFault } from "./support/fault";
import { freshNamespace } from "./support/namespace";

const redis = useRedis();

const TTL = 300;
/**
 * The lease of the tests that need every renewal to land in time. A renewal is due at a third of
 * the lease and must be confirmed before a tenth of it is left: with 300 ms, a timer or a reply
 * held back about 170 ms by a busy 2-core machine (seen: over 300 ms) rightly loses the lock, and
 * the test failed. A second leaves about 570 ms; without renewals the lock still lapses within it.
 */
const RENEWED_TTL = 1000;
/** Contenders only probe: a probe that waits out a stalled loop is still a probe, not a refusal. */
const probe = { storeTimeoutMs: PATIENT_TIMEOUT_MS };

describe.each(storeKinds(redis))("leases on $name", (kind) => {
  it("renews the lease while the function runs past its TTL", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const contenders: LockResult<void>[] = [];
    const result = await withLock(
      store,
      "r",
      async (lock) => {
        // Three leases long: without renewals, the lock would lapse and a contender get in.
        for (let i = 0; i < 6; i++) {
          await sleep(RENEWED_TTL / 2);
          contenders.push(await withLock(store, "r", () => {}, { namespace, ...probe }));
        }
        return lock.signal.aborted;
      },
      { namespace, ttlMs: RENEWED_TTL },
    );
    expect(result).toMatchObject({ status: "ran", value: false, released: true });
    expect(contenders.map((c) => c.status)).toEqual(Array(6).fill("busy"));
  });

  it.each<ScriptFault>(["hang", "reject"])(
    "when renewals %s, the holder's signal fires before the next holder gets in, and its release leaves that lock alone",
    async (fault) => {
      const store = kind.open();
      const namespace = freshNamespace();
      let abortedAt = Number.NaN;
      let secondAt = Number.NaN;
      let reason: unknown;
      let secondIn!: () => void;
      const secondInside = new Promise<void>((resolve) => (secondIn = resolve));

      const first = withLock(
        breakScripts(store, ["lock-extend"], fault),
        "r",
        async (lock) => {
          await new Promise((resolve) => lock.signal.addEventListener("abort", resolve));
          abortedAt = performance.now();
          reason = lock.signal.reason;
          // A holder that ignores its signal and runs on until the next holder is in.
          await secondInside;
          return "first";
        },
        // A second, not 300 ms: the abort and the lapse are both timed from the lease, and a timer
        // held back ~170 ms by a loaded machine could let the next holder in before the abort ran.
        { namespace, ttlMs: RENEWED_TTL },
      );
      await sleep(20);
      let firstSettledWhileSecondHeld: unknown;
      const second = withLock(
        store,
        "r",
        async () => {
          secondAt = performance.now();
          secondIn();
          const outcome = await first;
          firstSettledWhileSecondHeld = outcome;
          // The first holder has released by now: the lock must still be this one's.
          return withLock(store, "r", () => "third got in", { namespace });
        },
        { namespace, waitMs: 5000, retryBaseMs: 5, retryMaxMs: 10 },
      );

      const firstOutcome = await first;
      expect(firstOutcome).toMatchObject({ status: "ran", value: "first", released: false });
      expect(reason).toMatchObject({ code: "ERR_LOCK_LOST" });
      expect(abortedAt).toBeLessThan(secondAt);
      const secondOutcome = await second;
      expect(secondOutcome).toMatchObject({ status: "ran", released: true, value: { status: "busy" } });
      expect(firstSettledWhileSecondHeld).toBe(firstOutcome);
    },
  );

  it("fires the signal at the next renewal when the lock was taken from under the holder", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const { lock: lockKey } = lockKeys(namespace, "lock", "r");
    const result = await withLock(
      store,
      "r",
      async (lock) => {
        await store.delete(lockKey);
        await new Promise((resolve) => lock.signal.addEventListener("abort", resolve));
        return (lock.signal.reason as Error).message;
      },
      // The renewal (due at 500 ms) has 850 ms to answer before the watchdog would speak instead:
      // with 600 ms it had 340 ms, which a busy machine's late timer or reply can take.
      { namespace, ttlMs: 1500 },
    );
    // The renewal found the lock gone (not the watchdog, which says "could not be renewed").
    expect(result).toMatchObject({ status: "ran", released: false });
    if (result.status === "ran") expect(result.value).toMatch(/gone or taken by another holder/);
  });

  it("renews leases of different TTLs, sharing one clock, each before it lapses", async () => {
    const store = kind.open();
    const namespace = freshNamespace();
    const hold = (resource: string, ttlMs: number) =>
      withLock(
        store,
        resource,
        async (lock) => {
          // Past three of the shorter lease: only renewals, in time, keep both locks held.
          const contenders: string[] = [];
          for (let i = 0; i < 6; i++) {
            await sleep(RENEWED_TTL / 2);
            contenders.push((await withLock(store, resource, () => {}, { namespace, ...probe })).status);
          }
          return { contenders, aborted: lock.signal.aborted };
        },
        { namespace, ttlMs },
      );
    // The longer lease first: the shorter one, due sooner, must be renewed ahead of it.
    const long = hold("long", RENEWED_TTL * 3);
    await sleep(20);
    const short = hold("short", RENEWED_TTL);
    for (const result of [await short, await long]) {
      expect(result).toMatchObject({ status: "ran", released: true });
      if (result.status === "ran")
        expect(result.value).toEqual({ contenders: Array(6).fill("busy"), aborted: false });
    }
  });
});
