import { randomUUID } from "node:crypto";
import { type Logger, McpPersistError, type Store } from "@mcp-persist/cache-core";
import { assertDurationMs, describeValue } from "@mcp-persist/cache-core/kit";
import { keySegment } from "@mcp-persist/keys";
import { invalidOption, PKG } from "./errors";
import {
  formatEventId,
  parseEventId,
  STANDALONE_STREAM,
  sdkStreamId,
  storedName,
  UNSTORED_EPOCH,
} from "./event-id";
import { assertLastEventId, assertStreamId, messageJson, sendOf, storedMessage } from "./event-input";
import { entryMessage, replayEventsScript, storeEventScript } from "./event-scripts";
import { follow, isProducedHere, isResponse, noteStored } from "./follow-stream";
import { storePart } from "./store-part";

/** A JSON-RPC message as the SDKs hand it to an event store (typed structurally: no SDK import). */
export type JsonRpcMessage = object;

/**
 * The `EventStore` of both SDK lines (`@modelcontextprotocol/sdk` 1.x `StreamableHTTPServerTransport`,
 * `@modelcontextprotocol/server` 2.x `WebStandardStreamableHTTPServerTransport` and
 * `@modelcontextprotocol/node`), on an mcp-persist store.
 */
export interface McpEventStore {
  /**
   * Stores a message of a stream and returns its event id. Never rejects because of the store (see
   * the README: Redis down): the SDK transports fail the request when it does.
   * @throws {McpArgumentError} (rejects, before anything is stored) for a stream id that is not a
   * non-empty string, or a message that is not an object JSON can write as an object (`undefined`
   * JSON, a BigInt, a cycle): a programming error, never a store outage.
   */
  storeEvent(streamId: string, message: JsonRpcMessage): Promise<string>;
  /** The stream an event id belongs to, read from the id itself; `undefined` for an id that is not ours. */
  getStreamIdForEventId(eventId: string): Promise<string | undefined>;
  /**
   * Sends, in order, every retained message of the stream after `lastEventId`, and returns the
   * stream's id. Rejects with {@link EventReplayError} when the events after it are gone from a
   * request stream (the SDKs answer `500`, and the client stops resuming); a standalone (GET)
   * stream resumes after such a gap instead, since its notifications are hints.
   * @throws {McpArgumentError} (rejects) for an id that is not a string, or options without `send`.
   */
  replayEventsAfter(
    lastEventId: string,
    options: { send: (eventId: string, message: JsonRpcMessage) => Promise<void> },
  ): Promise<string>;
}

/** Options of {@link createEventStore}. */
export interface EventStoreOptions {
  /** First segment of the keys: isolates applications sharing one store. @default "mcp" */
  namespace?: string;
  /** How many events each stream keeps; older ones are dropped as new ones arrive. @default 1000 */
  maxEventsPerStream?: number;
  /**
   * How long an event is kept, in milliseconds; every key of a stream expires this long after its
   * last event. @default 3_600_000 (1 hour)
   */
  maxAgeMs?: number;
  /**
   * How long `storeEvent` and each replay read wait for the store, in milliseconds. Every message
   * the transport sends waits for `storeEvent` first, so keep it short.
   * @default DEFAULT_STORE_TIMEOUT_MS (250)
   */
  storeTimeoutMs?: number;
  /**
   * How long, in milliseconds, a replay on a replica that is not running the stream's call goes on
   * sending the events that replica stores later, until the call's response. `0`: send what is
   * stored at the replay, and stop.
   * @default 60_000 (the SDKs' default request timeout)
   */
  followMs?: number;
  /**
   * A pino-style logger: warnings (`event: "mcp_event_not_stored"`, `"mcp_event_replay_gap"`),
   * at most once per 10 s per kind through an outage.
   * @default silent
   */
  logger?: Logger;
}

/** Why a replay could not resume: `ERR_EVENT_UNKNOWN` (never handed out, or its stream expired) or `ERR_EVENT_EVICTED`. */
export class EventReplayError extends McpPersistError {
  constructor(code: "ERR_EVENT_UNKNOWN" | "ERR_EVENT_EVICTED", eventId: string, options?: ErrorOptions) {
    const why =
      code === "ERR_EVENT_EVICTED"
        ? "events after it were dropped by the stream's retention (maxEventsPerStream, maxAgeMs)"
        : "no retained stream holds it";
    // JSON.stringify never throws on a string; describeValue on nothing.
    const id = typeof eventId === "string" ? JSON.stringify(eventId) : describeValue(eventId);
    super(code, PKG, `cannot resume after event ${id}: ${why}`, options);
  }
}

/** Entries read per round trip while replaying: bounds one reply's size, whatever the messages weigh. */
const REPLAY_BATCH = 64;

/** After a failed write, events are not offered to the store for this long: a hung store costs one deadline, not one per message. */
const PAUSE_AFTER_FAILURE_MS = 1000;

/**
 * A resumable-stream `EventStore` for both MCP SDK lines, on any mcp-persist store: in process for
 * one server, on Redis (either client, Cluster included) for a fleet, where a client whose stream
 * dropped resumes with `Last-Event-ID` on any replica. Create one per transport, as the SDKs' own
 * in-memory store: the session's standalone GET stream is scoped to it.
 *
 * ```ts
 * const transport = new StreamableHTTPServerTransport({
 *   sessionIdGenerator: () => randomUUID(),
 *   eventStore: createEventStore(store, { maxEventsPerStream: 1000, maxAgeMs: 3_600_000 }),
 * });
 * ```
 * @throws {InvalidOptionError} for a bad store or option.
 */
export function createEventStore(store: Store, options?: EventStoreOptions): McpEventStore {
  const part = storePart(
    "createEventStore",
    store,
    options,
    "the event was sent without being stored for replay",
  );
  const { caller, warnings, namespace } = part;
  const { maxEventsPerStream = 1000, maxAgeMs = 3_600_000, followMs = 60_000 } = part.options;
  assertDurationMs(followMs, PKG, "followMs", true);
  if (!Number.isSafeInteger(maxEventsPerStream) || maxEventsPerStream < 1) {
    throw invalidOption(
      `maxEventsPerStream must be a positive integer, got ${describeValue(maxEventsPerStream)}`,
    );
  }
  assertDurationMs(maxAgeMs, PKG, "maxAgeMs");
  const base = `${namespace}:events`;
  const keysOf = (name: string) => {
    const list = `${base}:{${keySegment(name)}}`;
    return [list, `${list}:n`];
  };
  const ageMs = Math.ceil(maxAgeMs);
  const scope = randomUUID();
  let pausedUntil = 0;
  let unstored = 0;

  return {
    async storeEvent(streamId, message) {
      // A bad argument is refused here, before the try: it is not a store outage, and must not
      // pause the storing of every stream's events.
      assertStreamId(streamId);
      const json = messageJson(message);
      const name = storedName(streamId, scope);
      if (Date.now() >= pausedUntil) {
        if (streamId !== STANDALONE_STREAM) noteStored(name, message);
        try {
          const [epoch, seq] = await caller.run(storeEventScript, keysOf(name), [
            json,
            maxEventsPerStream,
            ageMs,
          ]);
          return formatEventId(name, epoch, seq);
        } catch (error) {
          pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
          warnings.warn(
            "mcp_event_not_stored",
            { store: store.name, err: error },
            "an MCP event could not be stored: it is sent, but cannot be replayed to a client that reconnects",
          );
        }
      }
      // An id that says "not stored": unique, so the SDK's bookkeeping holds; replaying after it
      // finds nothing (see replayEventsAfter).
      return formatEventId(name, UNSTORED_EPOCH, ++unstored);
    },

    async getStreamIdForEventId(eventId) {
      const place = parseEventId(eventId);
      return place === undefined ? undefined : sdkStreamId(place.name);
    },

    async replayEventsAfter(lastEventId, options) {
      const send = sendOf(options);
      assertLastEventId(lastEventId);
      const place = parseEventId(lastEventId);
      if (place === undefined) throw new EventReplayError("ERR_EVENT_UNKNOWN", lastEventId);
      const streamId = sdkStreamId(place.name);
      const keys = keysOf(place.name);
      const read = (after: number) =>
        place.epoch === UNSTORED_EPOCH
          ? Promise.resolve(["unknown"] as const)
          : caller.run(replayEventsScript, keys, [place.epoch, after, REPLAY_BATCH, ageMs]);
      const sendEntries = async (entries: readonly string[], after: number) => {
        let responded = false;
        let sent = 0;
        for (const entry of entries) {
          after++;
          const message = storedMessage(entryMessage(entry));
          if (message === undefined) continue;
          responded ||= isResponse(message);
          sent++;
          await send(formatEventId(place.name, place.epoch, after), message);
        }
        return { after, responded, sent };
      };
      let after = place.seq;
      let responded = false;
      let sent = 0;
      for (;;) {
        const reply = await read(after);
        if (reply[0] !== "ok") {
          const error = new EventReplayError(
            reply[0] === "evicted" ? "ERR_EVENT_EVICTED" : "ERR_EVENT_UNKNOWN",
            lastEventId,
          );
          // Notifications on the standalone stream are hints (list changed, resource updated): go
          // on from here rather than end the client's only channel for them.
          if (streamId !== STANDALONE_STREAM || after !== place.seq) throw error;
          warnings.warn("mcp_event_replay_gap", { store: store.name, err: error }, error.message);
          return streamId;
        }
        const entries = reply.slice(2) as string[];
        const batch = await sendEntries(entries, after);
        after = batch.after;
        responded ||= batch.responded;
        sent += batch.sent;
        if (entries.length < REPLAY_BATCH) break;
      }
      // The call runs on another replica (or ran on one that is gone): send what it stores next.
      if (!responded && followMs > 0 && streamId !== STANDALONE_STREAM && !isProducedHere(place.name)) {
        const deadline = Date.now() + followMs;
        // An empty replay would cost the client its cursor (the SDK v2 transport ends a replayed
        // stream it is not answering, and the clients resume from the last id of that stream
        // alone): wait for the next message first.
        if (sent === 0)
          ({ after, responded } = await follow(place.name, after, deadline, true, read, sendEntries));
        // SDK v1 keeps the stream open: the rest goes to it as the other replica stores it.
        if (!responded) void follow(place.name, after, deadline, false, read, sendEntries);
      }
      return streamId;
    },
  };
}
