import { defineScript } from "@mcp-persist/cache-core/kit";

/** A two-key script, for the one-slot rule on a Cluster: copies KEYS[1] to KEYS[2]. */
export const copyScript = defineScript<number>({
  name: "test-copy",
  lua: `-- KEYS[1]: source; KEYS[2]: destination; ARGV[1]: TTL in ms
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
redis.call('SET', KEYS[2], value, 'PX', ARGV[1])
return 1
`,
  local(ctx, [from = "", to = ""], [ttl = ""]) {
    const value = ctx.get(from);
    if (value === undefined) return 0;
    ctx.set(to, value, Number(ttl));
    return 1;
  },
});
