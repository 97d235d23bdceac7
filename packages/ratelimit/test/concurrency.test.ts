import { randomUUID } from "node:crypto";
import { useRedis } from "@mcp-persist/test-kit";
import { redisCommand } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { type AlgorithmName, createRateLimiter, createToolRateLimiter } from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

const ALGORITHMS: AlgorithmName[] = ["sliding-log", "sliding-window", "gcra"];
const MINUTE = 60_000;

describe.each(storeKinds(redis))("on $name", (kind) => {
  describe.each(ALGORITHMS)("%s", (algorithm) => {
    it("50 concurrent checks at limit 30 allow exactly 30", async () => {
      const limiter = createRateLimiter({
        ...PATIENT,
        store: kind.open(),
        algorithm,
        limit: 30,
        windowMs: MINUTE,
        prefix: randomUUID(),
      });
      const results = await Promise.all(
        Array.from({ length: 50 }, () => limiter.check("caller-1:send_email")),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(30);
      expect(results.every((result) => result.reason === (result.allowed ? "ok" : "limited"))).toBe(true);
      expect(results.filter((result) => !result.allowed).every((result) => result.retryAfterMs > 0)).toBe(
        true,
      );
    });

    it("different callers and different tools have their own limits", async () => {
      const limiter = createToolRateLimiter({
        ...PATIENT,
        store: kind.open(),
        algorithm,
        prefix: randomUUID(),
        perCallerPerTool: { limit: 3, windowMs: MINUTE },
      });
      const calls = [
        { tool: "send_email", caller: { client: "alice" } },
        { tool: "send_email", caller: { client: "bob" } },
        { tool: "search", caller: { client: "alice" } },
        { tool: "search", caller: undefined },
      ];
      // Five attempts each, all at once: each (caller, tool) pair gets exactly its own three.
      const results = await Promise.all(
        calls.flatMap((call) => Array.from({ length: 5 }, () => limiter.check(call))),
      );
      for (const [i, call] of calls.entries()) {
        const mine = results.slice(i * 5, i * 5 + 5);
        expect(
          mine.filter((result) => result.allowed),
          JSON.stringify(call),
        ).toHaveLength(3);
      }
    });

    it("several limits are charged together or not at all", async () => {
      const limiter = createToolRateLimiter({
        ...PATIENT,
        store: kind.open(),
        algorithm,
        prefix: randomUUID(),
        perCaller: { limit: 4, windowMs: MINUTE },
        perTool: { limit: 5, windowMs: MINUTE },
      });
      const callers = Array.from({ length: 10 }, (_, i) => ({ client: `caller-${i}` }));
      // 20 calls to one tool from 10 callers: the tool's limit lets exactly 5 through.
      const first = await Promise.all(
        callers.flatMap((caller) => [0, 1].map(() => limiter.check({ tool: "shared", caller }))),
      );
      expect(first.filter((result) => result.allowed)).toHaveLength(5);
      expect(first.filter((result) => !result.allowed).every((result) => result.rule === "perTool")).toBe(
        true,
      );
      // A denied call charged nothing: each caller's own limit has lost only its allowed calls.
      for (const [i, caller] of callers.entries()) {
        const allowedBefore = first.slice(2 * i, 2 * i + 2).filter((result) => result.allowed).length;
        const next = await limiter.check({ tool: `own-tool-${i}`, caller });
        expect(next).toMatchObject({ allowed: true, rule: "perCaller", remaining: 3 - allowedBefore });
      }
    });
  });
});

/** Script calls (EVALSHA and EVAL: one round trip each) Redis has run since the last reset. */
async function scriptCalls(): Promise<number> {
  const stats = await redisCommand(redis().port, "INFO", "commandstats");
  return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce(
    (sum, [, calls]) => sum + Number(calls),
    0,
  );
}

describe.each(storeKinds(redis).filter((kind) => kind.redis))("round trips on $name", (kind) => {
  it("one script call per check at most: concurrent checks share calls of up to 100", async () => {
    const store = kind.open();
    await store.ping();
    const limiter = createToolRateLimiter({
      ...PATIENT,
      store,
      prefix: randomUUID(),
      perCallerPerTool: { limit: 30, windowMs: MINUTE },
      perTool: { limit: 1000, windowMs: MINUTE },
    });
    await redisCommand(redis().port, "CONFIG", "RESETSTAT");
    const alone = await limiter.check({ tool: "search", caller: { client: "solo" } });
    expect(alone.reason).toBe("ok");
    expect(await scriptCalls()).toBe(1);

    await redisCommand(redis().port, "CONFIG", "RESETSTAT");
    const caller = { client: randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 150 }, () => limiter.check({ tool: "search", caller })),
    );
    expect(await scriptCalls()).toBe(2);
    expect(results.filter((result) => result.allowed)).toHaveLength(30);
    expect(results.every((result) => result.reason === (result.allowed ? "ok" : "limited"))).toBe(true);
  });
});
