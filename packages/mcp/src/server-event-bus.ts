import { randomUUID } from "node:crypto";
import {
  type BusSubscription,
  type Logger,
  type Store,
  silentLogger,
  systemClock,
} from "@mcp-persist/cache-core";
import { describeValue, isStore, ThrottledWarnings } from "@mcp-persist/cache-core/kit";
import { invalidOption } from "./errors";

/**
 * A change event for `subscriptions/listen` streams, as SDK v2's `ServerEvent` has it
 * (`tools_list_changed`, `prompts_list_changed`, `resources_list_changed`, `resource_updated`
 * with its `uri`), typed structurally: the bus takes the SDK's own type where it is used.
 */
export type ServerEvent = { readonly kind: string; readonly uri?: string; readonly params?: unknown };

/** SDK v2's `ServerEventBus` (`createMcpHandler({ bus })`), typed structurally. */
export interface McpServerEventBus<E extends ServerEvent = ServerEvent> {
  /** Delivers to this process's listeners at once, and to every other process on the store through its bus. */
  publish(event: E): void;
  /** Registers a listener; returns an idempotent unsubscribe. */
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
  options: ServerEventBusOptions = {},
): McpServerEventBus<E> {
  if (!isStore(store) || store.bus === undefined) {
    throw invalidOption(
      `createServerEventBus() takes an mcp-persist Store with a bus (the Redis and in-process stores have one), got ${describeValue(store)}`,
    );
  }
  const { channel = "mcp-persist:mcp:server-events", logger = silentLogger } = options;
  if (typeof channel !== "string" || channel === "") {
    throw invalidOption(`channel must be a non-empty string, got ${describeValue(channel)}`);
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
      deliver(event, delivering);
      const message = JSON.stringify({ s: sender, e: event } satisfies Envelope<E>);
      bus.publish(channel, message).catch((error: unknown) => {
        warnings.warn(
          "mcp_server_event_not_published",
          { store: store.name, err: error },
          "a server event reached this process's listen streams only: the store's bus is unreachable",
        );
      });
    },
    subscribe(listener) {
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
