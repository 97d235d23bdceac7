import { defineScript } from "@mcp-persist/cache-core/kit";
import { DONE, RUNNING } from "./once-begin.lua";
import { RELEASE_LUA, releaseLocal } from "./release.lua";

/** `[1 if the result was stored, 1 if the lock was released]`. */
export type OnceCommitReply = readonly [number, number];

/**
 * Stores the result of the attempt and releases its lock. The result is stored when the record
 * still marks this attempt (even if the lease lapsed: the mark kept everyone else out) or, should
 * the record have expired, while this holder still has the lock.
 */
export const onceCommitScript = defineScript<OnceCommitReply>({
  name: "once-commit",
  lua: `-- KEYS[1]: the lock key
-- KEYS[2]: the record (same hash tag)
-- ARGV[1]: the holder's token
-- ARGV[2]: the encoded result
-- ARGV[3]: TTL of the record, ms
${RELEASE_LUA}
local record = redis.call('GET', KEYS[2])
local stored = 0
if record == '${RUNNING}' .. ARGV[1] or (not record and redis.call('GET', KEYS[1]) == ARGV[1]) then
  redis.call('SET', KEYS[2], '${DONE}' .. ARGV[2], 'PX', ARGV[3])
  stored = 1
end
return {stored, release(KEYS[1], ARGV[1])}
`,
  local(ctx, [lock = "", record = ""], [token = "", result = "", recordTtl = ""]) {
    const current = ctx.get(record);
    let stored = 0;
    if (current === RUNNING + token || (current === undefined && ctx.get(lock) === token)) {
      ctx.set(record, DONE + result, Number(recordTtl));
      stored = 1;
    }
    return [stored, releaseLocal(ctx, lock, token)];
  },
});

/**
 * The side effect failed (the function threw): clears this attempt's mark so a retry runs it
 * again, and releases the lock. Replies 1 if the lock was released, else 0.
 */
export const onceAbandonScript = defineScript<number>({
  name: "once-abandon",
  lua: `-- KEYS[1]: the lock key
-- KEYS[2]: the record (same hash tag)
-- ARGV[1]: the holder's token
${RELEASE_LUA}
if redis.call('GET', KEYS[2]) == '${RUNNING}' .. ARGV[1] then redis.call('DEL', KEYS[2]) end
return release(KEYS[1], ARGV[1])
`,
  local(ctx, [lock = "", record = ""], [token = ""]) {
    if (ctx.get(record) === RUNNING + token) ctx.delete(record);
    return releaseLocal(ctx, lock, token);
  },
});
