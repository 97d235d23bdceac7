import { defineScript } from "./script";

// Generations are server-time microseconds, not 1, 2, 3, and only move forward. An entry is valid
// while its generations are at least the current ones, so a generation key that expired or was
// evicted is re-created from the clock, above every earlier generation, and invalidated entries
// stay invalid. (The one gap: a key lost and re-created within the microsecond of its last bump.)

/** Reads a generation, creating it when missing and renewing its TTL when half of it is gone. */
export const readGenerationScript = defineScript<string>({
  name: "cache-read-generation",
  lua: `-- KEYS[1]: a generation key (namespace, tool or caller scope)
-- ARGV[1]: TTL of generation keys, ms
local ttl = tonumber(ARGV[1])
local gen = redis.call('GET', KEYS[1])
if gen then
  if redis.call('PTTL', KEYS[1]) < ttl / 2 then redis.call('PEXPIRE', KEYS[1], ttl) end
  return gen
end
local t = redis.call('TIME')
gen = string.format('%d', tonumber(t[1]) * 1000000 + tonumber(t[2]))
redis.call('SET', KEYS[1], gen, 'PX', ttl)
return gen
`,
  local(ctx, [key = ""], [ttl = ""]) {
    const ttlMs = Number(ttl);
    const gen = ctx.get(key);
    if (gen !== undefined) {
      if (ctx.pttl(key) < ttlMs / 2) ctx.pexpire(key, ttlMs);
      return gen;
    }
    const [seconds, micros] = ctx.time();
    const created = String(seconds * 1_000_000 + micros);
    ctx.set(key, created, ttlMs);
    return created;
  },
});

/** Moves a generation forward: to now (µs), or one past the current value if that is later. */
export const bumpGenerationScript = defineScript<string>({
  name: "cache-bump-generation",
  lua: `-- KEYS[1]: a generation key (namespace, tool or caller scope)
-- ARGV[1]: TTL of generation keys, ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local gen = string.format('%d', math.max(now, current + 1))
redis.call('SET', KEYS[1], gen, 'PX', ARGV[1])
return gen
`,
  local(ctx, [key = ""], [ttl = ""]) {
    const [seconds, micros] = ctx.time();
    const current = Number(ctx.get(key) ?? "0") || 0;
    const gen = String(Math.max(seconds * 1_000_000 + micros, current + 1));
    ctx.set(key, gen, Number(ttl));
    return gen;
  },
});
