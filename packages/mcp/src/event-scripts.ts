import { defineScript } from "@mcp-persist/cache-core/kit";

// One stream of a resumable MCP connection in the store, as two keys sharing a Cluster hash tag:
//   <base>      a list of the retained events, oldest first, each `<stored at, server ms>:<JSON>`
//   <base>:n    the head: `<epoch>:<seq>`, the stream's epoch (server ms at its first event) and
//               the sequence number of its newest event
// Sequence numbers are consecutive and the list is only ever trimmed from its oldest end, so the
// event with sequence s sits at index s - (seq - length + 1): no per-event key, no scan. The
// epoch tells a stream apart from an earlier one of the same name whose keys have expired: an id
// of that earlier stream is then unknown, never matched against newer events.

/** What `mcp-events-store` replies: the stream's epoch and the new event's sequence number. */
export type StoredReply = readonly [epoch: string, seq: number];

/**
 * What `mcp-events-replay` replies: `["ok", newest seq, ...entries]` (entries after the given one,
 * oldest first, at most the batch), or `["unknown"]` (no such event was ever handed out in this
 * epoch), or `["evicted"]` (events after it were dropped by the count or age bound).
 */
export type ReplayReply = readonly ["ok", number, ...string[]] | readonly ["unknown"] | readonly ["evicted"];

/** Appends an event, then trims the stream to its count and age bounds, in one round trip. */
export const storeEventScript = defineScript<StoredReply>({
  name: "mcp-events-store",
  lua: `-- KEYS[1]: the stream's events, a list of '<stored at ms>:<message JSON>', oldest first
-- KEYS[2]: the stream's head, '<epoch>:<seq of the newest event>' (same hash tag as KEYS[1])
-- ARGV[1]: the message, JSON
-- ARGV[2]: maxEvents, how many events the stream keeps
-- ARGV[3]: maxAgeMs, how long an event is kept; both keys expire this long after the last event
-- Returns {epoch, seq}: the new event's place, from which its id is made

-- Server time, whole ms: every replica stamps events on one clock.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local max_events, max_age = tonumber(ARGV[2]), tonumber(ARGV[3])

local epoch, seq
local head = redis.call('GET', KEYS[2])
if head then
  local e, s = string.match(head, '^(%d+):(%d+)$')
  epoch, seq = e, tonumber(s) + 1
else
  -- A new stream, or one whose head expired: events left without a head belong to an earlier epoch.
  epoch, seq = string.format('%d', now), 1
  redis.call('DEL', KEYS[1])
end

redis.call('RPUSH', KEYS[1], string.format('%d', now) .. ':' .. ARGV[1])
redis.call('LTRIM', KEYS[1], -max_events, -1)
-- Events are appended in time order: the expired ones are the oldest, at the head of the list.
while true do
  local oldest = redis.call('LINDEX', KEYS[1], 0)
  if not oldest or tonumber(string.match(oldest, '^(%d+):')) > now - max_age then break end
  redis.call('LPOP', KEYS[1])
end
redis.call('PEXPIRE', KEYS[1], max_age)
redis.call('SET', KEYS[2], epoch .. ':' .. string.format('%d', seq), 'PX', max_age)
return { epoch, seq }
`,
  local(ctx, [list = "", headKey = ""], [message = "", maxEvents = "", maxAge = ""]) {
    const now = ctx.now();
    const maxAgeMs = Number(maxAge);
    const head = parseHead(ctx.get(headKey));
    let events = ctx.getData<string[]>(list);
    let epoch: string;
    let seq: number;
    if (head === undefined) {
      epoch = String(now);
      seq = 1;
      events = undefined;
    } else {
      epoch = head.epoch;
      seq = head.seq + 1;
    }
    const kept = events ?? [];
    kept.push(`${now}:${message}`);
    if (kept.length > Number(maxEvents)) kept.splice(0, kept.length - Number(maxEvents));
    while (kept.length > 0 && storedAt(kept[0] as string) <= now - maxAgeMs) kept.shift();
    ctx.setData(list, kept, maxAgeMs);
    ctx.set(headKey, `${epoch}:${seq}`, maxAgeMs);
    return [epoch, seq];
  },
});

/** Reads, in one round trip, up to a batch of the events that follow one. Changes nothing. */
export const replayEventsScript = defineScript<ReplayReply>({
  name: "mcp-events-replay",
  lua: `-- KEYS[1]: the stream's events (see mcp-events-store)
-- KEYS[2]: the stream's head, '<epoch>:<seq of the newest event>'
-- ARGV[1]: epoch of the last event the client received
-- ARGV[2]: seq of that event
-- ARGV[3]: batch, the most entries to return
-- ARGV[4]: maxAgeMs: older events count as dropped even before a write trims them
-- Returns {'ok', newest seq, entry...} with the entries after ARGV[2], oldest first;
--   {'unknown'} when no such event was handed out in this epoch; {'evicted'} when events after
--   it were dropped

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local head = redis.call('GET', KEYS[2])
if not head then return { 'unknown' } end
local epoch, newest = string.match(head, '^(%d+):(%d+)$')
newest = tonumber(newest)
local after = tonumber(ARGV[2])
if epoch ~= ARGV[1] or after > newest then return { 'unknown' } end

local first = newest - redis.call('LLEN', KEYS[1]) + 1
if after + 1 < first then return { 'evicted' } end
local from = after + 1 - first
local entries = redis.call('LRANGE', KEYS[1], from, from + tonumber(ARGV[3]) - 1)
if #entries > 0 and tonumber(string.match(entries[1], '^(%d+):')) <= now - tonumber(ARGV[4]) then
  return { 'evicted' }
end
local reply = { 'ok', newest }
for _, entry in ipairs(entries) do reply[#reply + 1] = entry end
return reply
`,
  local(ctx, [list = "", headKey = ""], [epoch = "", afterArg = "", batch = "", maxAge = ""]) {
    const head = parseHead(ctx.get(headKey));
    const after = Number(afterArg);
    if (head === undefined || head.epoch !== epoch || after > head.seq) return ["unknown"];
    const events = ctx.getData<string[]>(list) ?? [];
    const first = head.seq - events.length + 1;
    if (after + 1 < first) return ["evicted"];
    const from = after + 1 - first;
    const entries = events.slice(from, from + Number(batch));
    if (entries.length > 0 && storedAt(entries[0] as string) <= ctx.now() - Number(maxAge)) {
      return ["evicted"];
    }
    return ["ok", head.seq, ...entries];
  },
});

function parseHead(head: string | undefined): { epoch: string; seq: number } | undefined {
  const match = head === undefined ? null : /^(\d+):(\d+)$/.exec(head);
  return match === null ? undefined : { epoch: match[1] as string, seq: Number(match[2]) };
}

/** The server ms an entry was stored at. */
export function storedAt(entry: string): number {
  return Number(entry.slice(0, entry.indexOf(":")));
}

/** The message JSON of an entry. */
export function entryMessage(entry: string): string {
  return entry.slice(entry.indexOf(":") + 1);
}
