import { defineScript } from "../script";

/**
 * Small scripts written as real Lua + JS pairs, covering what the project's capabilities do:
 * strings with TTLs, counters, reading TTLs, and a sorted set standing as a structured value.
 * The conformance kit runs them through a store and through the reference context and compares.
 */
export const sampleScripts = {
  /** Deletes the key only if it holds the expected value (a lock release). Returns 1 or 0. */
  compareAndDelete: defineScript<number>({
    name: "sample-compare-and-delete",
    lua: `-- KEYS[1]: the key; ARGV[1]: the value it must hold to be deleted
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
    local(ctx, [key = ""], [expected = ""]) {
      return ctx.get(key) === expected && ctx.delete(key) ? 1 : 0;
    },
  }),

  /** Adds to a counter, giving it a TTL when it has none (a fixed window). Returns the new count. */
  incrWithTtl: defineScript<number>({
    name: "sample-incr-with-ttl",
    lua: `-- KEYS[1]: the counter; ARGV[1]: increment; ARGV[2]: TTL in ms, set when the counter has none
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`,
    local(ctx, [key = ""], [by = "", ttl = ""]) {
      const value = ctx.incr(key, Number(by));
      if (ctx.pttl(key) === -1) ctx.pexpire(key, Number(ttl));
      return value;
    },
  }),

  /** Returns `[value or null, PTTL]`. */
  getAndPttl: defineScript<[string | null, number]>({
    name: "sample-get-and-pttl",
    lua: `-- KEYS[1]: the key
return { redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]) }
`,
    local(ctx, [key = ""]) {
      return [ctx.get(key) ?? null, ctx.pttl(key)];
    },
  }),

  /**
   * A sliding log (the shape of a sliding-window rate limit): drops members older than the
   * window, adds this one, returns how many remain. Lua keeps a sorted set; JS a Map.
   */
  slidingLog: defineScript<number>({
    name: "sample-sliding-log",
    lua: `-- KEYS[1]: the log, member -> timestamp
-- ARGV[1]: now (ms); ARGV[2]: window (ms); ARGV[3]: member; ARGV[4]: TTL of the log (ms)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
`,
    local(ctx, [key = ""], [now = "", window = "", member = "", ttl = ""]) {
      const log = ctx.getData<Map<string, number>>(key) ?? new Map<string, number>();
      const cutoff = Number(now) - Number(window);
      for (const [name, at] of log) if (at <= cutoff) log.delete(name);
      log.set(member, Number(now));
      ctx.setData(key, log, Number(ttl));
      return log.size;
    },
  }),
};
