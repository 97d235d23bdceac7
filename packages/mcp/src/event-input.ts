import { describeValue } from "@mcp-persist/keys";
import { McpArgumentError } from "./errors";
import type { JsonRpcMessage } from "./event-store";

// What the event store is handed, checked before anything is stored or read: the SDK transports
// only ever pass UUIDs (or `_GET_stream`), JSON-RPC objects and a `send` callback, so anything else
// is a programming error, refused typed — never taken for a store outage, never stored as text no
// replay can read.

/** The SDKs' priming event: an empty message stored only for its id, never replayed as a message. */
const PRIMING = "{}";

/**
 * Refuses a stream id the SDKs would never give (they give UUIDs and `_GET_stream`): it could
 * not name a stream. Any non-empty string is taken, lone surrogates included.
 * @throws {McpArgumentError} for a non-string or an empty string.
 */
export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== "string" || streamId === "") {
    throw new McpArgumentError(
      `storeEvent() takes a stream id, a non-empty string, got ${describeValue(streamId)}`,
    );
  }
}

/**
 * The JSON a message is stored as: an object's. Anything else is refused before it is stored:
 * JSON `undefined` (a function, a `toJSON` returning undefined) would be stored as text no replay
 * can parse, and a BigInt or a cycle cannot be written at all.
 * @throws {McpArgumentError}
 */
export function messageJson(message: unknown): string {
  const refuse = (why: string, cause?: unknown) =>
    new McpArgumentError(
      `storeEvent() takes a JSON-RPC message, an object JSON can write; ${why}`,
      cause === undefined ? undefined : { cause },
    );
  if (typeof message !== "object" || message === null) throw refuse(`got ${describeValue(message)}`);
  let json: unknown;
  try {
    json = JSON.stringify(message);
  } catch (error) {
    throw refuse(`JSON cannot write ${describeValue(message)} (${describeValue(error)})`, error);
  }
  if (typeof json !== "string" || !json.startsWith("{")) {
    throw refuse(`its JSON is ${describeValue(json)}, not an object`);
  }
  return json;
}

/** The `send` of replay options. @throws {McpArgumentError} */
export function sendOf(options: unknown): (eventId: string, message: JsonRpcMessage) => Promise<void> {
  const send =
    typeof options === "object" && options !== null ? (options as { send?: unknown }).send : undefined;
  if (typeof send !== "function") {
    throw new McpArgumentError(
      `replayEventsAfter() takes { send(eventId, message) } second, got ${describeValue(options)}`,
    );
  }
  return send as (eventId: string, message: JsonRpcMessage) => Promise<void>;
}

/** @throws {McpArgumentError} for a Last-Event-ID that is not a string (the SDKs read it from a header). */
export function assertLastEventId(lastEventId: unknown): asserts lastEventId is string {
  if (typeof lastEventId !== "string") {
    throw new McpArgumentError(
      `replayEventsAfter() takes the Last-Event-ID, a string, got ${describeValue(lastEventId)}`,
    );
  }
}

/**
 * The message of a stored entry, or `undefined` for the priming event (stored only for its id).
 * Only an object's JSON is ever stored (see {@link messageJson}), so it parses to an object.
 */
export function storedMessage(json: string): object | undefined {
  return json === PRIMING ? undefined : (JSON.parse(json) as object);
}
