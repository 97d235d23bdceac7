import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import type { AlgorithmName } from "../src/index";
import { storeKinds } from "./support/stores";
import { clockedLimiter } from "./support/traffic";

// What "the charge at time T" is, per algorithm, and what a refund made later gives back: never
// more room than the charge still takes. Time is controlled: an lruStore on a manual clock, or
// Redis scripts reading the same clock instead of TIME (see support/injected-time.ts).

const redis = useRedis();

const ALGORITHMS: AlgorithmName[] = ["sliding-log", "sliding-window", "gcra"];

describe.each(storeKinds(redis))("refund() over time on $name", (kind) => {
  it.each(ALGORITHMS)(
    "%s: a refund made later in the window still gives the unit back",
    async (algorithm) => {
      const { limiter, clock } = clockedLimiter(kind, algorithm, { limit: 2, windowMs: 1000 });
      const first = await limiter.check("k");
      clock.advance(1);
      await limiter.check("k");
      expect((await limiter.check("k")).allowed).toBe(false);
      // GCRA: the first unit has drained for 1 ms of its 500; what is left of it is given back.
      expect(await limiter.refund(first)).toBe(true);
      expect((await limiter.check("k")).allowed).toBe(true);
      expect((await limiter.check("k")).allowed).toBe(false);
    },
  );

  it.each(ALGORITHMS)(
    "%s: two results checked together and refunded together give two units back",
    async (algorithm) => {
      const { limiter } = clockedLimiter(kind, algorithm, { limit: 2, windowMs: 1000 });
      // In one tick: one script call on Redis, both charged at one time.
      const [a, b] = await Promise.all([limiter.check("k"), limiter.check("k")]);
      expect(await Promise.all([limiter.refund(a), limiter.refund(b)])).toEqual([true, true]);
      const after = await Promise.all([limiter.check("k"), limiter.check("k"), limiter.check("k")]);
      expect(after.map((result) => result.allowed)).toEqual([true, true, false]);
    },
  );

  it("gcra: refunds made later each count the drain since their charge (the bucket drained it once)", async () => {
    const { limiter, clock } = clockedLimiter(kind, "gcra", { limit: 2, windowMs: 1000 });
    const [a, b] = await Promise.all([limiter.check("k"), limiter.check("k")]); // 1000 ms of backlog
    clock.advance(100);
    // Each gives back its 500 ms less the 100 drained since: 100 ms stay, where the bucket without
    // either charge would be empty. The safe side: a refund cannot tell whose units drained.
    expect(await Promise.all([limiter.refund(a), limiter.refund(b)])).toEqual([true, true]);
    expect((await limiter.check("k")).allowed).toBe(true);
    expect(await limiter.check("k")).toMatchObject({ allowed: false, retryAfterMs: 100 });
  });

  it("sliding-log: a unit that has left the window takes no later unit with it", async () => {
    const { limiter, clock } = clockedLimiter(kind, "sliding-log", { limit: 2, windowMs: 1000 });
    const old = await limiter.check("k");
    clock.advance(1000); // the unit of t = 0 leaves the window
    await limiter.check("k");
    await limiter.check("k");
    expect(await limiter.refund(old)).toBe(true);
    expect((await limiter.check("k")).allowed).toBe(false);
  });

  it("sliding-window: the slot moved on once: the charge counts, weighted, in the previous slot", async () => {
    const { limiter, clock } = clockedLimiter(kind, "sliding-window", { limit: 2, windowMs: 1000 });
    clock.advance(1000 - (clock.now() % 1000) + 900); // 100 ms before a slot ends
    const [first, second] = [await limiter.check("k"), await limiter.check("k")];
    expect([first.allowed, second.allowed]).toEqual([true, true]);
    clock.advance(200); // 100 ms into the next slot: the two count 2 × 0.9
    expect((await limiter.check("k")).allowed).toBe(false);
    expect(await limiter.refund(first)).toBe(true);
    // 1 × 0.9 left: room for one, not two.
    expect((await limiter.check("k")).allowed).toBe(true);
    expect((await limiter.check("k")).allowed).toBe(false);
  });

  it("sliding-window: four slots later the slot number is reused: the stale refund takes nothing", async () => {
    const { limiter, clock } = clockedLimiter(kind, "sliding-window", { limit: 2, windowMs: 1000 });
    const old = await limiter.check("k");
    clock.advance(4000); // same slot index mod 4, two full windows after the charge stopped counting
    await limiter.check("k");
    await limiter.check("k");
    expect((await limiter.check("k")).allowed).toBe(false);
    await limiter.refund(old);
    expect((await limiter.check("k")).allowed).toBe(false);
  });

  it("gcra: a charge that has drained frees nothing that later charges took", async () => {
    const { limiter, clock } = clockedLimiter(kind, "gcra", { limit: 2, windowMs: 1000 });
    const old = await limiter.check("k"); // 500 ms of backlog, drained by t = 500
    clock.advance(600);
    await limiter.check("k");
    await limiter.check("k");
    expect((await limiter.check("k")).allowed).toBe(false);
    await limiter.refund(old);
    expect((await limiter.check("k")).allowed).toBe(false);
  });

  it("gcra: a charge partly drained gives back what is left of it: as if it had never been made", async () => {
    const { limiter, clock } = clockedLimiter(kind, "gcra", { limit: 2, windowMs: 1000 });
    const first = await limiter.check("k"); // 500 ms of backlog
    clock.advance(300); // 200 ms of it left
    await limiter.check("k");
    expect(await limiter.refund(first)).toBe(true);
    // Without the first charge, one call at t = 300 leaves 500 ms: one more fits, then the next
    // waits 500 ms. (Taking back all 500 ms would let it wait 200.)
    expect((await limiter.check("k")).allowed).toBe(true);
    expect(await limiter.check("k")).toMatchObject({ allowed: false, retryAfterMs: 500 });
  });
});
