import { defineScript } from "@mcp-persist/cache-core/kit";

// A session's state is one string key, `<namespace>:session:{<session id>}`, holding a JSON object
// of codec-encoded values: ending the session is one DEL, and its TTL slides as one.

/** Reads a session's state and, when it exists, pushes its expiry back: a sliding TTL. */
export const sessionReadScript = defineScript<string | null>({
  name: "mcp-session-read",
  lua: `-- KEYS[1]: the session's state, a JSON object
-- ARGV[1]: ttlMs, how long the state lives after this use
-- Returns the state, or nil when there is none
local state = redis.call('GET', KEYS[1])
if state then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return state
`,
  local(ctx, [key = ""], [ttlMs = ""]) {
    const state = ctx.get(key);
    if (state === undefined) return null;
    ctx.pexpire(key, Number(ttlMs));
    return state;
  },
});

/**
 * Replaces a session's state if it is still what the writer read (compare and set), so two
 * concurrent writes to one session never lose one another: the loser reads again and retries.
 */
export const sessionWriteScript = defineScript<number>({
  name: "mcp-session-write",
  lua: `-- KEYS[1]: the session's state, a JSON object
-- ARGV[1]: the state the writer read ('' for none)
-- ARGV[2]: the new state ('' to remove it)
-- ARGV[3]: ttlMs, how long the state lives after this write
-- Returns 1 when written, 0 when the state changed since it was read
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`,
  local(ctx, [key = ""], [expected = "", next = "", ttlMs = ""]) {
    if ((ctx.get(key) ?? "") !== expected) return 0;
    if (next === "") ctx.delete(key);
    else ctx.set(key, next, Number(ttlMs));
    return 1;
  },
});
