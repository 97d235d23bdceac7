import type { ReplayReply } from "./event-scripts";

// A client that resumes on a replica other than the one running its call gets, from the replay,
// what was stored by then; the rest the other replica stores later. The replaying replica follows
// the stream in the store and sends those too, until the call's response, unless this process is
// the one storing the stream (its transport sends new events to the resumed stream itself: a
// follower would send them twice).

/** Request streams this process is storing events for, oldest first; bounded. */
const producing = new Map<string, true>();
const MAX_PRODUCING = 10_000;

/** Notes that this process stored an event of `name`; a response ends the stream. */
export function noteStored(name: string, message: object): void {
  producing.delete(name);
  if (isResponse(message)) return;
  producing.set(name, true);
  if (producing.size > MAX_PRODUCING) producing.delete(producing.keys().next().value as string);
}

/** Whether this process is storing the stream's events (its call runs here). */
export function isProducedHere(name: string): boolean {
  return producing.has(name);
}

/** A JSON-RPC response: what ends a request stream. */
export function isResponse(message: object): boolean {
  return "id" in message && ("result" in message || "error" in message);
}

/**
 * The follower of each stream in this process: a newer replay of a stream (the client resumed
 * again) takes over, so a stream has one follower here however often its client reconnects.
 */
const followers = new Map<string, object>();

/** How long a follower waits between reads of a stream that has nothing new: doubling up to the cap. */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 500;

/** What a batch of entries sent: the new cursor, whether a response was among them, how many messages. */
export interface Sent {
  after: number;
  responded: boolean;
  sent: number;
}

/**
 * Reads the stream after `after` until a response was sent, the stream is gone (evicted,
 * expired), `deadline` (epoch ms) passed, a newer replay of the stream took over, or, with
 * `untilAny`, a message was sent. Store errors are retried until then. Never rejects.
 */
export async function follow(
  name: string,
  after: number,
  deadline: number,
  untilAny: boolean,
  read: (after: number) => Promise<ReplayReply>,
  sendEntries: (entries: readonly string[], after: number) => Promise<Sent>,
): Promise<Sent> {
  const result: Sent = { after, responded: false, sent: 0 };
  const token = {};
  followers.set(name, token);
  try {
    let wait = FIRST_POLL_MS;
    while (Date.now() < deadline && followers.get(name) === token) {
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
      let reply: ReplayReply;
      try {
        reply = await read(result.after);
      } catch {
        wait = Math.min(wait * 2, MAX_POLL_MS);
        continue;
      }
      if (reply[0] !== "ok") return result;
      const entries = reply.slice(2) as string[];
      const batch = await sendEntries(entries, result.after);
      result.after = batch.after;
      result.responded ||= batch.responded;
      result.sent += batch.sent;
      if (result.responded || (untilAny && result.sent > 0)) return result;
      wait = entries.length > 0 ? FIRST_POLL_MS : Math.min(wait * 2, MAX_POLL_MS);
    }
    return result;
  } finally {
    if (followers.get(name) === token) followers.delete(name);
  }
}
