/**
 * Wraps a script's Lua body so that it runs on a real Redis as if the server's clock read a time
 * the test chooses, with key expiry following that time too (Redis cannot be told what time it is).
 *
 * Keys never carry a real TTL: the wrapper keeps each key's expiry itself, in injected time, and
 * answers the commands that read or set TTLs from it. The body itself runs verbatim, inside a
 * function, with `redis` and `ARGV` shadowed by locals:
 *   - TIME replies the injected time;
 *   - PTTL, TTL answer from the kept expiries; PEXPIRE, EXPIRE, PEXPIREAT, EXPIREAT, PERSIST and
 *     SET's EX / PX / EXAT / PXAT / KEEPTTL set them; DEL and UNLINK forget them;
 *   - any other command on one of KEYS that creates the key gives it no TTL, as Redis does;
 *   - commands whose TTL effect the wrapper does not model fail loudly, naming themselves.
 *
 * ARGV as sent: the script's own arguments, then the injected time (ms), then one expiry per
 * KEYS[i] (absolute injected ms, or -1 for none), then the number of the script's own arguments.
 * Reply: `{ {1, reply} or {0}, expiry of each KEYS[i] (-2 gone), state of each KEYS[i] }`, the
 * state being `{type, value…}` (a string's value; a sorted set's scores, ascending; a list's items).
 */
export function clockedLua(body: string): string {
  return `${PRELUDE}
local __reply = (function()
${body}
end)()
return { (__reply == nil or __reply == false) and {0} or {1, __reply}, __expiries(), __states() }
`;
}

const PRELUDE = `local __real = redis
local __argc = tonumber(ARGV[#ARGV])
local __now = tonumber(ARGV[__argc + 1])
local __exp, __iskey = {}, {}

local function __exists(key) return __real.call('EXISTS', key) == 1 end
local function __fail(message) error({ err = message }) end
local function __int(value)
  local n = tonumber(value)
  if n == nil or n ~= math.floor(n) then __fail('ERR value is not an integer or out of range') end
  return n
end

for i, key in ipairs(KEYS) do
  __iskey[key] = true
  local at = tonumber(ARGV[__argc + 1 + i])
  -- Expired in injected time (Redis: expired once now is past the deadline): gone.
  if at ~= -1 and __now > at then __real.call('DEL', key); at = -1 end
  __exp[key] = at
end
local ARGV = { unpack(ARGV, 1, __argc) }

local function __pttl(key)
  if not __exists(key) then return -2 end
  local at = __exp[key]
  if at == nil or at == -1 then return -1 end
  return at - __now
end

local __untracked = { GETSET = true, SETEX = true, PSETEX = true, GETEX = true, SETNX = true, MSET = true,
  MSETNX = true, RENAME = true, RENAMENX = true, COPY = true, MOVE = true, RESTORE = true,
  PEXPIRETIME = true, EXPIRETIME = true, OBJECT = true, SORT = true, ZUNIONSTORE = true,
  ZINTERSTORE = true, ZDIFFSTORE = true, ZRANGESTORE = true, SUNIONSTORE = true, SINTERSTORE = true,
  SDIFFSTORE = true, SMOVE = true, LMOVE = true, RPOPLPUSH = true, BITOP = true, PFMERGE = true,
  GEORADIUS = true, GEOSEARCHSTORE = true }

local function __set(via, args)
  local key, sent, expiry = args[1], { args[1], args[2] }, -1
  local i = 3
  while i <= #args do
    local option = string.upper(args[i])
    if option == 'NX' or option == 'XX' then
      table.insert(sent, option)
    elseif option == 'KEEPTTL' then
      expiry = 'keep'
    elseif option == 'PX' or option == 'EX' or option == 'PXAT' or option == 'EXAT' then
      local n = __int(args[i + 1])
      if n <= 0 then __fail("ERR invalid expire time in 'set' command") end
      if option == 'PX' then expiry = __now + n
      elseif option == 'EX' then expiry = __now + n * 1000
      elseif option == 'PXAT' then expiry = n
      else expiry = n * 1000 end
      i = i + 1
    else
      __fail('ERR the parity wrapper does not model SET ' .. option .. '; teach tools/test-kit')
    end
    i = i + 1
  end
  local existed = __exists(key)
  local reply = via('SET', unpack(sent))
  if type(reply) == 'table' and reply.ok then
    if expiry ~= 'keep' then __exp[key] = expiry elseif not existed then __exp[key] = -1 end
  end
  return reply
end

local function __expire(name, args)
  if #args ~= 2 then __fail('ERR the parity wrapper does not model ' .. name .. ' options; teach tools/test-kit') end
  local key, n = args[1], __int(args[2])
  local at
  if name == 'PEXPIRE' then at = __now + n
  elseif name == 'EXPIRE' then at = __now + n * 1000
  elseif name == 'PEXPIREAT' then at = n
  else at = n * 1000 end
  if not __exists(key) then return 0 end
  if at <= __now then __real.call('DEL', key); __exp[key] = -1; return 1 end
  __exp[key] = at
  return 1
end

local function __call(via, command, ...)
  local args = { ... }
  local name = string.upper(command)
  local key = args[1]
  if name == 'TIME' then
    return { string.format('%d', math.floor(__now / 1000)), string.format('%d', (__now % 1000) * 1000) }
  elseif name == 'PTTL' then
    return __pttl(key)
  elseif name == 'TTL' then
    local ms = __pttl(key)
    if ms < 0 then return ms end
    return math.floor((ms + 500) / 1000)
  elseif name == 'PEXPIRE' or name == 'EXPIRE' or name == 'PEXPIREAT' or name == 'EXPIREAT' then
    return __expire(name, args)
  elseif name == 'PERSIST' then
    if __pttl(key) < 0 then return 0 end
    __exp[key] = -1
    return 1
  elseif name == 'SET' then
    return __set(via, args)
  elseif name == 'DEL' or name == 'UNLINK' then
    for _, k in ipairs(args) do __exp[k] = -1 end
    return via(command, ...)
  elseif __untracked[name] then
    __fail('ERR the parity wrapper does not model TTLs through ' .. name .. '; teach tools/test-kit')
  end
  local tracked = key ~= nil and __iskey[key]
  local existed = tracked and __exists(key)
  local reply = via(command, ...)
  -- A key this command created has no TTL, as in Redis (e.g. INCRBY, ZADD on a missing key).
  if tracked and not existed then __exp[key] = -1 end
  return reply
end

local redis = setmetatable({
  call = function(...) return __call(__real.call, ...) end,
  pcall = function(...)
    local ok, reply = pcall(__call, __real.pcall, ...)
    if ok then return reply end
    if type(reply) == 'table' then return reply end
    return { err = tostring(reply) }
  end,
}, { __index = __real })

local function __expiries()
  local out = {}
  for i, key in ipairs(KEYS) do
    if __exists(key) then out[i] = __exp[key] or -1 else out[i] = -2 end
  end
  return out
end

local function __states()
  local out = {}
  for i, key in ipairs(KEYS) do
    local kind = __real.call('TYPE', key).ok
    local state = { kind }
    if kind == 'string' then
      state[2] = __real.call('GET', key)
    elseif kind == 'zset' then
      local flat = __real.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      for j = 2, #flat, 2 do state[#state + 1] = flat[j] end
    elseif kind == 'list' then
      for _, item in ipairs(__real.call('LRANGE', key, 0, -1)) do state[#state + 1] = item end
    end
    out[i] = state
  end
  return out
end`;
