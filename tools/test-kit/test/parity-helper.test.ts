import { defineScript } from "@mcp-persist/cache-core/kit";
import { describe, expect, it } from "vitest";
import { expectParity, redisStoreKinds, useRedis } from "../src/index";

const redis = useRedis();
const kinds = redisStoreKinds(redis);

/** A script whose two bodies agree except where `lua` and `local` are told to differ. */
const twin = (name: string, lua: string, local: Parameters<typeof defineScript<number>>[0]["local"]) =>
  defineScript<number>({ name, lua, local });

// The helper proves a parity only if it can see each kind of disagreement: these must fail.
describe("expectParity fails when the bodies disagree on", () => {
  const cases = {
    "the reply": twin("reply", "return 1", () => 2),
    "a value the reply does not show": twin(
      "value",
      "redis.call('SET', KEYS[1], 'a', 'PX', 1000) return 1",
      (ctx, [key = ""]) => (ctx.set(key, "b", 1000), 1),
    ),
    "a TTL, by one millisecond": twin(
      "ttl",
      "redis.call('SET', KEYS[1], 'a', 'PX', 1001) return 1",
      (ctx, [key = ""]) => (ctx.set(key, "a", 1000), 1),
    ),
    "whether a key has a TTL at all": twin(
      "no-ttl",
      "redis.call('INCRBY', KEYS[1], 1) return 1",
      (ctx, [key = ""]) => (ctx.incr(key), ctx.pexpire(key, 60_000), 1),
    ),
    "the scores of a sorted set": twin(
      "zset",
      "redis.call('ZADD', KEYS[1], 5, 'm') redis.call('PEXPIRE', KEYS[1], 1000) return 1",
      (ctx, [key = ""]) => (ctx.setData(key, [6], 1000), 1),
    ),
    "the time TIME reads (Lua in seconds, JS in ms)": twin(
      "time",
      "return tonumber(redis.call('TIME')[1])",
      (ctx) => ctx.now(),
    ),
  };
  it.each(Object.entries(cases))("%s", async (_, script) => {
    const stores = kinds.map((kind) => kind.open());
    await expect(expectParity(stores, [{ script, keys: ["k"], args: [] }])).rejects.toThrow();
  });
});

describe("expectParity passes when the bodies agree", () => {
  it("on time, TTLs across expiry and a re-created key", async () => {
    const script = twin(
      "agree",
      `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = redis.call('INCRBY', KEYS[1], 1)
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], 1000) end
return { now, n, redis.call('PTTL', KEYS[1]) }`,
      (ctx, [key = ""]) => {
        const n = ctx.incr(key);
        if (ctx.pttl(key) === -1) ctx.pexpire(key, 1000);
        return [ctx.now(), n, ctx.pttl(key)] as never;
      },
    );
    const stores = kinds.map((kind) => kind.open());
    await expectParity(
      stores,
      [0, 400, 600, 0, 1, 999, 1000, 1].map((advanceMs) => ({ script, keys: ["k"], args: [], advanceMs })),
      { settleMs: 1001 },
    );
  });
});
