/**
 * The text the cache stores: `1` + freshUntil + `|` + generation token + `|` + codec payload.
 *
 * - `1` is the format version; entries in any other format read as misses.
 * - freshUntil (epoch ms) is empty unless a grace window is on: the store's TTL ends the entry,
 *   so only stale serving needs to know when "fresh" ended.
 * - The generation token records the namespace/tool/scope generations (joined by ".") the entry
 *   was written under. Generations only grow: an entry with any generation below the current one
 *   was invalidated and reads as a miss; one with higher generations was written by a process
 *   that already saw a newer generation, and is valid.
 *
 * Flat text, parsed with two `indexOf` calls: no JSON inside JSON on the hit path.
 */
const VERSION = "1";
const BAR = 124; // "|"

export function writeEnvelope(freshUntil: number | undefined, token: string, payload: string): string {
  return `${VERSION}${freshUntil === undefined ? "" : freshUntil}|${token}|${payload}`;
}

/**
 * Where the payload starts, or -1 if the envelope is in another format or was invalidated
 * (written under a lower generation than `token` holds).
 */
export function payloadStart(envelope: string, token: string): number {
  if (envelope.charCodeAt(0) !== 49 /* "1" */) return -1;
  const bar = envelope.indexOf("|", 1);
  if (bar < 0) return -1;
  // The hit path: the same token, compared in place.
  const end = bar + 1 + token.length;
  if (envelope.startsWith(token, bar + 1) && envelope.charCodeAt(end) === BAR) return end + 1;
  const tokenEnd = envelope.indexOf("|", bar + 1);
  if (tokenEnd < 0 || !atLeast(envelope.slice(bar + 1, tokenEnd), token)) return -1;
  return tokenEnd + 1;
}

/** Whether every generation in `written` is at least the matching one in `current`. */
function atLeast(written: string, current: string): boolean {
  const a = written.split(".");
  const b = current.split(".");
  if (a.length !== b.length) return false;
  return a.every((gen, i) => Number(gen) >= Number(b[i]));
}

/**
 * The envelope up to its payload, without the last `|`: `1<freshUntil>|<token>`. Names one write
 * of an entry (its generations and the millisecond its freshness ends) in coherence messages.
 */
export function envelopeHead(envelope: string): string {
  return envelope.slice(0, envelope.indexOf("|", envelope.indexOf("|", 1) + 1));
}

/** Whether `envelope` is the write `head` names. */
export function hasHead(envelope: string, head: string): boolean {
  return envelope.startsWith(head) && envelope.charCodeAt(head.length) === BAR;
}

/** The epoch ms until which the entry is fresh; `Infinity` when it carries no grace window. */
export function freshUntil(envelope: string): number {
  const bar = envelope.indexOf("|", 1);
  return bar === 1 ? Number.POSITIVE_INFINITY : Number(envelope.slice(1, bar));
}
