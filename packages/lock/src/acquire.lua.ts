import { defineScript, type LocalContext } from "@mcp-persist/cache-core/kit";
import { NEXT_FENCE_LUA, nextFenceLocal } from "./fence.lua";

/** What the acquiring scripts reply: the fencing token, or how long the holder's lease has left. */
export type AcquireReply = readonly ["acquired", number] | readonly ["busy", number];

/** Lua helper shared by `lock-acquire` and `once-begin`. */
export const ACQUIRE_LUA = `${NEXT_FENCE_LUA}
-- acquire(lock, fence, token, lease, fence_ttl): SET lock token NX PX lease and, when it was free,
-- the next fencing token, in the same atomic step: {'acquired', fencing token}; when another
-- holder has it: {'busy', ms left on that holder's lease}.
local function acquire(lock, fence, token, lease, fence_ttl)
  if not redis.call('SET', lock, token, 'NX', 'PX', lease) then
    return {'busy', redis.call('PTTL', lock)}
  end
  return {'acquired', next_fence(fence, fence_ttl)}
end
`;

/** The JS twin of `acquire`. */
export function acquireLocal(
  ctx: LocalContext,
  lock: string,
  fence: string,
  token: string,
  lease: string,
  fenceTtl: string,
): AcquireReply {
  if (ctx.get(lock) !== undefined) return ["busy", ctx.pttl(lock)];
  ctx.set(lock, token, Number(lease));
  return ["acquired", nextFenceLocal(ctx, fence, fenceTtl)];
}

/** Takes a free lock and hands out the next fencing token, in one round trip. */
export const acquireScript = defineScript<AcquireReply>({
  name: "lock-acquire",
  lua: `-- KEYS[1]: the lock key, set to the holder's token for the lease
-- KEYS[2]: the resource's fencing counter (same hash tag as KEYS[1])
-- ARGV[1]: the new holder's random token
-- ARGV[2]: the lease, whole ms
-- ARGV[3]: TTL of the fencing counter, ms
${ACQUIRE_LUA}
return acquire(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
`,
  local(ctx, [lock = "", fence = ""], [token = "", lease = "", fenceTtl = ""]) {
    return acquireLocal(ctx, lock, fence, token, lease, fenceTtl);
  },
});
