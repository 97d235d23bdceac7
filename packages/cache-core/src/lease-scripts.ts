import { defineScript } from "./script";

// The fleet-wide single-flight's lease: one key next to the entry it guards, holding the token of
// the process computing that entry, with a short TTL the holder renews while its `fn` runs. A
// holder that dies stops renewing, and the lease frees itself. Only the token's owner renews or
// releases it, so a holder that outlived its lease never frees another's.

/** Takes the lease if nobody holds it: 1 when taken, 0 when held by someone (anyone) else. */
const acquire = defineScript<number>({
  name: "cache-lease-acquire",
  lua: `-- KEYS[1]: the lease key, next to the entry it guards
-- ARGV[1]: the taker's token (unique per flight)
-- ARGV[2]: lease TTL, ms
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`,
  local(ctx, [key = ""], [token = "", ttl = ""]) {
    if (ctx.get(key) !== undefined) return 0;
    ctx.set(key, token, Number(ttl));
    return 1;
  },
});

/** Extends the lease while its holder still holds it: 1 when extended, 0 when lost. */
const renew = defineScript<number>({
  name: "cache-lease-renew",
  lua: `-- KEYS[1]: the lease key
-- ARGV[1]: the holder's token
-- ARGV[2]: lease TTL, ms, from now
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`,
  local(ctx, [key = ""], [token = "", ttl = ""]) {
    if (ctx.get(key) !== token) return 0;
    ctx.pexpire(key, Number(ttl));
    return 1;
  },
});

/** Gives the lease back if its holder still holds it: 1 when released, 0 when it was not held. */
const release = defineScript<number>({
  name: "cache-lease-release",
  lua: `-- KEYS[1]: the lease key
-- ARGV[1]: the holder's token
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  local(ctx, [key = ""], [token = ""]) {
    return ctx.get(key) === token && ctx.delete(key) ? 1 : 0;
  },
});

/** The lease scripts of `singleFlight: "fleet"`. */
export const leaseScripts = Object.freeze({ acquire, renew, release });
