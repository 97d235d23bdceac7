import { randomUUID } from "node:crypto";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { type AlgorithmName, createRateLimiter, createToolRateLimiter } from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

const ALGORITHMS: AlgorithmName[] = ["sliding-log", "sliding-window", "gcra"];
const MINUTE = 60_000;

describe.each(storeKinds(redis))("refund() on $name", (kind) => {
  describe.each(ALGORITHMS)("%s", (algorithm) => {
    const limiter = (limit = 2) =>
      createRateLimiter({
        ...PATIENT,
        store: kind.open(),
        algorithm,
        limit,
        windowMs: MINUTE,
        prefix: randomUUID(),
      });

    it.each(["first", "second"] as const)(
      "limit 2: check, check, denied; refunding the %s gives one unit back, once",
      async (which) => {
        const limits = limiter();
        const [first, second] = [await limits.check("k"), await limits.check("k")];
        const denied = await limits.check("k");
        expect([first.allowed, second.allowed, denied.allowed]).toEqual([true, true, false]);
        expect(await limits.refund(denied)).toBe(false);
        expect(await limits.refund(which === "first" ? first : second)).toBe(true);
        expect(await limits.refund(which === "first" ? first : second)).toBe(false);
        expect(await limits.check("k")).toMatchObject({ allowed: true, reason: "ok" });
        expect((await limits.check("k")).allowed).toBe(false);
      },
    );

    it("concurrent refunds of one result give one unit back", async () => {
      const limits = limiter();
      // Two checks in one tick: batched into one script call on Redis, charged at one time.
      const [a, b] = await Promise.all([limits.check("k"), limits.check("k")]);
      expect((await Promise.all([limits.refund(a), limits.refund(a), limits.refund(a)])).sort()).toEqual([
        false,
        false,
        true,
      ]);
      expect((await limits.check("k")).allowed).toBe(true);
      expect((await limits.check("k")).allowed).toBe(false);
    });

    it("gives back the cost charged", async () => {
      const limits = limiter(3);
      const result = await limits.check("k", { cost: 2 });
      expect(await limits.refund(result)).toBe(true);
      expect(await limits.check("k", { cost: 3 })).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("refuses what it did not return: another limiter's result, a copy, a non-result", async () => {
      const prefix = randomUUID();
      const store = kind.open();
      const options = { ...PATIENT, store, algorithm, limit: 1, windowMs: MINUTE, prefix };
      const [mine, theirs] = [createRateLimiter(options), createRateLimiter(options)];
      const result = await mine.check("k");
      expect(result.allowed).toBe(true);
      const copies = [{ ...result }, structuredClone(result), JSON.parse(JSON.stringify(result))];
      for (const copy of copies) expect(await mine.refund(copy)).toBe(false);
      expect(await theirs.refund(result)).toBe(false);
      for (const junk of [undefined, null, 1, "result"]) {
        expect(await mine.refund(junk as never)).toBe(false);
      }
      // The same key is still charged: nothing above gave it back.
      expect((await theirs.check("k")).allowed).toBe(false);
      // A result stays plain data: no hidden field, symbol or accessor rides along.
      expect(Object.getOwnPropertyNames(result)).toEqual(Object.keys(result));
      expect(Object.getOwnPropertySymbols(result)).toEqual([]);
      expect(structuredClone(result)).toStrictEqual({ ...result });
      expect(await mine.refund(result)).toBe(true);
    });

    it("tool limiter: takes back every rule it charged, and the result keeps its tool", async () => {
      const limits = createToolRateLimiter({
        ...PATIENT,
        store: kind.open(),
        algorithm,
        prefix: randomUUID(),
        perCaller: { limit: 1, windowMs: MINUTE },
        perTool: { limit: 1, windowMs: MINUTE },
      });
      const alice = { client: "alice" };
      const result = await limits.check({ tool: "deploy", caller: alice });
      expect(result).toMatchObject({ allowed: true, tool: "deploy" });
      expect(await limits.refund(result)).toBe(true);
      // Each of these shares one rule with the refunded call, and passes only if that rule was freed.
      expect((await limits.check({ tool: "other", caller: alice })).allowed).toBe(true);
      expect((await limits.check({ tool: "deploy", caller: { client: "bob" } })).allowed).toBe(true);
    });
  });
});

describe("refund() of results decided without the main store", () => {
  it("degraded: resolves false and gives nothing", async () => {
    const limits = createRateLimiter({
      store: faultyStore(lruStore(), "reject"),
      limit: 1,
      windowMs: MINUTE,
    });
    const result = await limits.check("k");
    expect(result).toMatchObject({ allowed: true, reason: "degraded" });
    expect(await limits.refund(result)).toBe(false);
  });

  it("fallback: refunded on the fallback store", async () => {
    const fallbackStore = lruStore();
    const limits = createToolRateLimiter({
      store: faultyStore(lruStore(), "reject"),
      fallbackStore,
      perCallerPerTool: { limit: 1, windowMs: MINUTE },
    });
    const call = { tool: "deploy", caller: "alice" };
    const result = await limits.check(call);
    expect(result).toMatchObject({ allowed: true, reason: "fallback" });
    expect((await limits.check(call)).allowed).toBe(false);
    expect(await limits.refund(result)).toBe(true);
    expect(await limits.check(call)).toMatchObject({ allowed: true, reason: "fallback" });
    await fallbackStore.close();
  });
});
