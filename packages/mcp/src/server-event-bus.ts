import { randomUUID } from "node:crypto";
import {
  type BusSubscription,
  type Logger,
  type Store,
  silentLogger,
  systemClock,
} from "@mcp-persist/cache-core";
import { assertLogger, describeValue, isStore, ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { invalidOption, McpArgumentError, optionsObject, PKG } from "./errors";

/**
 * A change event for `subscriptions/listen` streams, as SDK v2's `ServerEvent` has it
 * (`tools_list_changed`, `prompts_list_changed`, `resources_list_changed`, `resource_updated`
 * with its `uri`), typed structurally: the bus takes the SDK's own type where it is used.
 */
export type ServerEvent = { readonly kind: string; readonly uri?: string; readonly params?: unknown };

/** SDK v2's `ServerEventBus` (`createMcpHandler({ bus })`), typed structurally. */
export interface McpServerEventBus<E extends ServerEvent = ServerEvent> {
  /**
   * Delivers to this process's listeners at once, and to every other process on the store through its bus.
   * @throws {McpArgumentError} before delivering anywhere, for an event that is not an object with a
   * string `kind`, or that JSON cannot write as an object (a BigInt, a cycle).
   */
  publish(event: E): void;
  /**
   * Registers a listener; returns an idempotent unsubscribe.
   * @throws {McpArgumentError} for a listener that is not a function.
   */
  subscribe(listener: (event: E) => void): () => void;
}

/** Options of {@link createServerEventBus}. */
export interface ServerEventBusOptions {
  /** The store bus channel; give each application sharing a Redis its own. @default "mcp-persist:mcp:server-events" */
  channel?: string;
  /**
   * A pino-style logger: `event: "mcp_server_event_not_published"` (the store's bus is down: other
   * processes miss the event) and `"mcp_server_event_dropped"` (a message that was not ours to read).
   * @default silent
   */
  logger?: Logger;
}

/** `String.prototype.isWellFormed` (Node 20; not in the ES2023 lib this compiles against). */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** What travels on the channel: the sender, the listener that published (if one did), the event. */
interface Envelope<E> {
  s: string;
  e: E;
}

/**
 * SDK v2's `ServerEventBus` over the store's bus (Redis pub/sub on the Redis stores): a change
 * published on one replica reaches the `subscriptions/listen` streams of every replica.
 *
 * This process's listeners get each event synchronously from `publish`, as with the SDK's
 * `InMemoryServerEventBus`, except the listener that is publishing from inside its own delivery
 * (the interface's no-echo rule); other processes get it through the store, and the copy that comes
 * back to this process is ignored. Delivery to other processes is at most once: an event published
 * while Redis is unreachable reaches this process's listeners only (a throttled warning says so).
 *
 * ```ts
 * const handler = createMcpHandler(factory, { bus: createServerEventBus(store) });
 * handler.notify.resourceUpdated("docs://readme"); // every replica's listen streams hear it
 * ```
 * @throws {InvalidOptionError} for a store without a `bus`, or a bad option.
 */
export function createServerEventBus<E extends ServerEvent = ServerEvent>(
  store: Store,
  options?: ServerEventBusOptions,
): McpServerEventBus<E> {
  if (!isStore(store) || store.bus === undefined) {
    throw invalidOption(
      `createServerEventBus() takes an mcp-persist Store with a bus (the Redis and in-process stores have one), got ${describeValue(store)}`,
    );
  }
  const { channel = "mcp-persist:mcp:server-events", logger = silentLogger } = optionsObject(
    "createServerEventBus",
    options,
  );
  assertLogger(logger, PKG);
  // The stores' buses refuse a lone surrogate (Redis carries UTF-8): refused here, at startup,
  // rather than at the first subscribe.
  if (typeof channel !== "string" || channel === "" || !isWellFormed(channel)) {
    throw invalidOption(
      `channel must be a non-empty string of well-formed Unicode (no lone surrogate), got ${describeValue(channel)}`,
    );
  }
  const bus = store.bus;
  const sender = randomUUID();
  const warnings = new ThrottledWarnings(logger, systemClock);
  const listeners = new Set<(event: E) => void>();
  /** The listener being delivered to right now: an event it publishes is not echoed to it. */
  let delivering: ((event: E) => void) | undefined;
  let subscription: BusSubscription | undefined;

  const deliver = (event: E, except?: (event: E) => void) => {
    for (const listener of [...listeners]) {
      if (listener === except || !listeners.has(listener)) continue;
      const outer = delivering;
      delivering = listener;
      try {
        listener(event);
      } catch (error) {
        logger.error(
          { event: "mcp_server_event_listener_threw", err: error },
          "a ServerEventBus listener threw",
        );
      } finally {
        delivering = outer;
      }
    }
  };

  const receive = (message: string) => {
    let envelope: Envelope<E>;
    try {
      envelope = JSON.parse(message) as Envelope<E>;
    } catch (error) {
      warnings.warn(
        "mcp_server_event_dropped",
        { err: error },
        "a message on the server event channel was not an event",
      );
      return;
    }
    if (envelope.s === sender || typeof envelope.e?.kind !== "string") return;
    deliver(envelope.e);
  };

  return {
    publish(event) {
      // Written out first: an event other processes could not get is delivered nowhere.
      const message = envelopeOf(sender, event);
      deliver(event, delivering);
      bus.publish(channel, message).catch((error: unknown) => {
        warnings.warn(
          "mcp_server_event_not_published",
          { store: store.name, err: error },
          "a server event reached this process's listen streams only: the store's bus is unreachable",
        );
      });
    },
    subscribe(listener) {
      if (typeof listener !== "function") {
        throw new McpArgumentError(`subscribe() takes a listener function, got ${describeValue(listener)}`);
      }
      listeners.add(listener);
      subscription ??= bus.subscribe(channel, { message: receive });
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(listener);
        if (listeners.size === 0 && subscription !== undefined) {
          const ending = subscription;
          subscription = undefined;
          void ending.unsubscribe();
        }
      };
    },
  };
}

/**
 * The channel message of an event: `{"s":<sender>,"e":<event JSON>}`, the event written once.
 * @throws {McpArgumentError} for an event that is not an object with a string `kind`, or whose JSON
 * is not an object's.
 */
function envelopeOf(sender: string, event: unknown): string {
  const refuse = (why: string, cause?: unknown) =>
    new McpArgumentError(
      `publish() takes a server event, an object with a string kind that JSON can write; ${why}`,
      cause === undefined ? undefined : { cause },
    );
  if (typeof event !== "object" || event === null || typeof (event as ServerEvent).kind !== "string") {
    throw refuse(`got ${describeValue(event)}`);
  }
  let json: unknown;
  try {
    json = JSON.stringify(event);
  } catch (error) {
    throw refuse(`JSON cannot write it (${describeValue(error)})`, error);
  }
  if (typeof json !== "string" || !json.startsWith("{")) throw refuse(`its JSON is ${describeValue(json)}`);
  // The sender is a UUID: nothing in it needs escaping.
  return `{"s":"${sender}","e":${json}}`;
}
