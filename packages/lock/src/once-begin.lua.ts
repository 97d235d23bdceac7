import { defineScript } from "@mcp-persist/cache-core/kit";
import { ACQUIRE_LUA, type AcquireReply, acquireLocal } from "./acquire.lua";

/**
 * What `once-begin` replies: the acquiring replies, or `["done", stored result]`, or
 * `["unknown", ms left on the record]` when an attempt started and its holder vanished without
 * recording a result (it may or may not have taken effect).
 */
export type OnceBeginReply = AcquireReply | readonly ["done", string] | readonly ["unknown", number];

/** Record prefixes: an attempt under way (followed by its token) and a stored result. */
export const RUNNING = "run:";
export const DONE = "ok:";

/**
 * Looks for a stored result and, when there is none and no attempt is under way, takes the lock
 * and marks the attempt as started — all in one round trip.
 */
export const onceBeginScript = defineScript<OnceBeginReply>({
  name: "once-begin",
  lua: `-- KEYS[1]: the lock key
-- KEYS[2]: the fencing counter (same hash tag)
-- KEYS[3]: the record: 'ok:' .. stored result, or 'run:' .. token of the attempt that started
-- ARGV[1]: the new holder's random token
-- ARGV[2]: the lease, whole ms
-- ARGV[3]: TTL of the fencing counter, ms
-- ARGV[4]: TTL of the record, ms
${ACQUIRE_LUA}
local record = redis.call('GET', KEYS[3])
if record then
  if string.sub(record, 1, ${DONE.length}) == '${DONE}' then return {'done', string.sub(record, ${DONE.length + 1})} end
  -- An attempt started: it is still running while its lock lives; otherwise it died unrecorded.
  local left = redis.call('PTTL', KEYS[1])
  if left == -2 then return {'unknown', redis.call('PTTL', KEYS[3])} end
  return {'busy', left}
end
local reply = acquire(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
if reply[1] == 'acquired' then redis.call('SET', KEYS[3], '${RUNNING}' .. ARGV[1], 'PX', ARGV[4]) end
return reply
`,
  local(ctx, [lock = "", fence = "", record = ""], [token = "", lease = "", fenceTtl = "", recordTtl = ""]) {
    const current = ctx.get(record);
    if (current !== undefined) {
      if (current.startsWith(DONE)) return ["done", current.slice(DONE.length)];
      const left = ctx.pttl(lock);
      return left === -2 ? ["unknown", ctx.pttl(record)] : ["busy", left];
    }
    const reply = acquireLocal(ctx, lock, fence, token, lease, fenceTtl);
    if (reply[0] === "acquired") ctx.set(record, RUNNING + token, Number(recordTtl));
    return reply;
  },
});
