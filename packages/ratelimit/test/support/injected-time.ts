import type { Clock, Script, ScriptReply, Store } from "@mcp-persist/cache-core";
import { defineScript } from "@mcp-persist/cache-core/kit";

/**
 * The two lines by which every production script that reads time reads the Redis server's
 * clock, in whole epoch ms. The injected-time variant swaps them for the last ARGV; a test in
 * scripts.test.ts checks that every script reading TIME does so with exactly these lines.
 */
export const SERVER_NOW_LUA = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * A script run on Redis with time taken from the last ARGV instead of TIME, wrapped so that the
 * same call also reports the TTLs it set: TTLs are removed first, the script runs, then each key's
 * PTTL is read (-2 missing, -1 not set by the script) and replaced by a real TTL of an hour, so
 * that only the wrapper expires keys. Replies `{ script reply, ttls }`.
 */
function injectedTimeVariant(script: Script): Script<[ScriptReply, number[]]> {
  const body = script.lua.replace(SERVER_NOW_LUA, "local now = tonumber(ARGV[#ARGV])");
  return defineScript({
    name: `${script.name}-injected-time`,
    lua: `for _, key in ipairs(KEYS) do redis.call('PERSIST', key) end
local reply = (function()
${body}
end)()
local ttls = {}
for i, key in ipairs(KEYS) do ttls[i] = redis.call('PTTL', key) end
-- Only then: a key may be listed more than once (several checks of one caller in one call).
for i, key in ipairs(KEYS) do
  if ttls[i] ~= -2 then redis.call('PEXPIRE', key, 3600000) end
end
return { reply, ttls }`,
    local: () => {
      throw new Error("the injected-time variant runs on Redis only");
    },
  });
}

/**
 * A Redis store whose scripts read time from `clock` instead of the server's TIME, with key
 * expiry following `clock` as well (Redis cannot be told what time it is): a key the script gave
 * a TTL is deleted by this wrapper once `clock` passes it. The production scripts never take a
 * time from the caller; only this test variant does.
 */
export function withInjectedTime(store: Store, clock: Clock): Store {
  const variants = new Map<Script, Script<[ScriptReply, number[]]>>();
  /** Per key, the injected time after which it is gone. */
  const expiries = new Map<string, number>();
  return {
    name: `${store.name}+injected-time`,
    capabilities: store.capabilities,
    get: (key) => store.get(key),
    set: (key, value, ttlMs) => store.set(key, value, ttlMs),
    delete: (key) => store.delete(key),
    ping: () => store.ping(),
    close: () => store.close(),
    async run(script, keys, args) {
      const now = clock.now();
      for (const key of keys) {
        const expiry = expiries.get(key);
        if (expiry !== undefined && now > expiry) {
          await store.delete(key);
          expiries.delete(key);
        }
      }
      let variant = variants.get(script);
      if (variant === undefined) {
        variant = injectedTimeVariant(script);
        variants.set(script, variant);
      }
      const [reply, ttls] = await store.run(variant, keys, [...args, now]);
      keys.forEach((key, i) => {
        const ttl = ttls[i] as number;
        if (ttl === -2) expiries.delete(key);
        else if (ttl >= 0) expiries.set(key, now + ttl);
      });
      return reply as typeof script extends Script<infer R> ? R : never;
    },
  };
}
