import { defineScript } from "@mcp-persist/cache-core/kit";

/** Compare-and-pexpire: renews the lease if this holder still has the lock. Replies 1 or 0. */
export const extendScript = defineScript<number>({
  name: "lock-extend",
  lua: `-- KEYS[1]: the lock key
-- ARGV[1]: the holder's token
-- ARGV[2]: the new lease, whole ms from now
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`,
  local(ctx, [lock = ""], [token = "", lease = ""]) {
    return ctx.get(lock) === token && ctx.pexpire(lock, Number(lease)) ? 1 : 0;
  },
});
