// Event ids as the client sees them (the SSE `id:` field, sent back as `Last-Event-ID`):
// `<stream>.<epoch>.<seq>`, the stream name percent-encoded. The id alone names the stream, so
// `getStreamIdForEventId` needs no store call, and any replica can find the event.

/** The SDKs' name for a session's standalone GET stream: one per session, the same in every session. */
export const STANDALONE_STREAM = "_GET_stream";

/** Marks a standalone stream's stored name: `<scope>~_GET_stream`, one per event store instance. */
const STANDALONE_SUFFIX = `~${STANDALONE_STREAM}`;

/** The epoch of ids handed out for events the store did not take: no stored stream has it. */
export const UNSTORED_EPOCH = "0";

/** A parsed event id. */
export interface EventPlace {
  /** The stream's stored name (the SDK's stream id, or a scoped standalone stream). */
  readonly name: string;
  readonly epoch: string;
  readonly seq: number;
}

/**
 * The stored name of an SDK stream. Request streams have random UUIDs; the standalone stream's
 * id is one constant for every session, so it is scoped by the event store instance (one per
 * transport, so one per session): sessions never read one another's notifications.
 */
export function storedName(streamId: string, scope: string): string {
  return streamId === STANDALONE_STREAM ? `${scope}${STANDALONE_SUFFIX}` : streamId;
}

/** The SDK's stream id for a stored name. */
export function sdkStreamId(name: string): string {
  return name.endsWith(STANDALONE_SUFFIX) ? STANDALONE_STREAM : name;
}

// A lone surrogate (a name cut mid-emoji) has no UTF-8 form, so encodeURIComponent throws a
// URIError on it: it is written `%uD83D` instead, which encodeURIComponent never writes (`%` itself
// is `%25`), so distinct names keep distinct ids.
const LONE_SURROGATE = /([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/;
const ENCODED_SURROGATE = /%u(D[89A-F][0-9A-F]{2})/;

function encodeName(name: string): string {
  if (!LONE_SURROGATE.test(name)) return encodeURIComponent(name);
  // split with a capture group: odd indices are the lone surrogates.
  return name
    .split(LONE_SURROGATE)
    .map((part, index) =>
      index % 2 === 0 ? encodeURIComponent(part) : `%u${part.charCodeAt(0).toString(16).toUpperCase()}`,
    )
    .join("");
}

/** @throws {URIError} for text that is not an encoded name (caught by parseEventId). */
function decodeName(encoded: string): string {
  return encoded
    .split(ENCODED_SURROGATE)
    .map((part, index) =>
      index % 2 === 0 ? decodeURIComponent(part) : String.fromCharCode(Number.parseInt(part, 16)),
    )
    .join("");
}

export function formatEventId(name: string, epoch: string, seq: number): string {
  return `${encodeName(name)}.${epoch}.${seq}`;
}

/** The place an id names, or `undefined` for a string that is not one of our ids. */
export function parseEventId(id: string): EventPlace | undefined {
  if (typeof id !== "string") return undefined;
  const match = /^(.+)\.(\d{1,16})\.(\d{1,15})$/.exec(id);
  if (match === null) return undefined;
  let name: string;
  try {
    name = decodeName(match[1] as string);
  } catch {
    return undefined;
  }
  return name === "" ? undefined : { name, epoch: match[2] as string, seq: Number(match[3]) };
}
