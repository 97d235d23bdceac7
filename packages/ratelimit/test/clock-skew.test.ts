import { randomUUID } from "node:crypto";
import type { Clock } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";
import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { type AlgorithmName, createRateLimiter } from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

const SKEW_MS = 30_000;
const clockAt = (offsetMs: number): Clock => ({ now: () => Date.now() + offsetMs });

/** The guides' script, as published: the caller passes its own clock's time. Control group only. */
const guideScript = defineScript<number>({
  name: "test-guide-sliding-window",
  lua: `-- KEYS[1]: the log; ARGV[1]: the caller's now (ms); ARGV[2]: window (ms); ARGV[3]: limit
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1] .. ':' .. math.random(1000000))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
  local: () => {
    throw new Error("control script, Redis only");
  },
});

describe.each(storeKinds(redis))("clock skew on $name", (kind) => {
  it.each(["sliding-log", "sliding-window", "gcra"] as AlgorithmName[])(
    "%s: two workers whose clocks differ by 30 s together admit exactly the limit",
    async (algorithm) => {
      // Two workers: on Redis, two stores with their own connections (as two processes would
      // have); in process, two limiters on one store. Their local clocks are 30 s apart, three
      // times the window: had either used its own clock, it would see the other's calls as long
      // gone (or not yet made) and admit its own full limit.
      const shared = kind.open();
      const stores = kind.redis ? [shared, kind.open()] : [shared, shared];
      const prefix = randomUUID();
      const options = { ...PATIENT, algorithm, limit: 10, windowMs: 10_000, prefix };
      const workers = [
        createRateLimiter({ ...options, store: stores[0] as typeof shared, clock: clockAt(0) }),
        createRateLimiter({ ...options, store: stores[1] as typeof shared, clock: clockAt(SKEW_MS) }),
      ];
      const results = [];
      for (let i = 0; i < 30; i++)
        results.push(await (workers[i % 2] as (typeof workers)[0]).check("caller:tool"));
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      // The local clocks show only in resetAtMs, each worker's in its own time.
      const [early, late] = [results[0], results[1]];
      expect((late?.resetAtMs ?? 0) - (early?.resetAtMs ?? 0)).toBeGreaterThan(SKEW_MS - 5_000);
    },
  );
});

describe.each(storeKinds(redis).filter((kind) => kind.redis))("control group on $name", (kind) => {
  it("the guides' script, fed each worker's local time, admits twice the limit", async () => {
    const stores = [kind.open(), kind.open()];
    const key = `control:${randomUUID()}`;
    let admitted = 0;
    for (let i = 0; i < 30; i++) {
      const now = clockAt(i % 2 === 0 ? 0 : SKEW_MS).now();
      admitted += await (stores[i % 2] as (typeof stores)[0]).run(guideScript, [key], [now, 10_000, 10]);
    }
    expect(admitted).toBe(20);
  });
});
