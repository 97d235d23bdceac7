import { defineScript, type LocalContext } from "@mcp-persist/cache-core/kit";

/** Lua helper shared by `lock-release` and the `once` finishing scripts. */
export const RELEASE_LUA = `-- release(lock, token): deletes lock only while it still holds token, so a holder whose lease
-- expired never deletes the next holder's lock. 1 if deleted, else 0.
local function release(lock, token)
  if redis.call('GET', lock) == token then return redis.call('DEL', lock) end
  return 0
end
`;

/** The JS twin of `release`. */
export function releaseLocal(ctx: LocalContext, lock: string, token: string): number {
  return ctx.get(lock) === token && ctx.delete(lock) ? 1 : 0;
}

/** Compare-and-delete: releases the lock if this holder still has it. Replies 1 or 0. */
export const releaseScript = defineScript<number>({
  name: "lock-release",
  lua: `-- KEYS[1]: the lock key
-- ARGV[1]: the holder's token
${RELEASE_LUA}
return release(KEYS[1], ARGV[1])
`,
  local(ctx, [lock = ""], [token = ""]) {
    return releaseLocal(ctx, lock, token);
  },
});
