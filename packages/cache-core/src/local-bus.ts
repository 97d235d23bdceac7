import type { StoreBus } from "./bus";
import { assertChannel, assertMessage, BusChannels } from "./bus-channels";

/** An in-process store's bus, and what its store does with it on `close()`. */
export interface LocalBus {
  readonly bus: StoreBus;
  /** Ends every subscription; later calls fail through `ensureOpen`. */
  close(): void;
}

/**
 * The bus of an in-process store: a fan-out to this store's own subscribers (no other process
 * shares the store, so there is no one else to tell). Messages are delivered asynchronously, in a
 * microtask, as a Redis subscriber hears its own publish after `publish` returns: a listener never
 * runs inside `publish`, and one publisher's messages arrive in the order it sent them. There is no
 * connection to lose, so a subscription is listening at once and never interrupted.
 * @param ensureOpen throws `StoreClosedError` once the store is closed.
 */
export function createLocalBus(pkg: string, ensureOpen: (operation: string) => void): LocalBus {
  const channels = new BusChannels(pkg);
  const bus: StoreBus = {
    async publish(channel, message) {
      ensureOpen("publish");
      assertChannel(pkg, "publish", channel);
      assertMessage(pkg, message);
      queueMicrotask(() => channels.deliver(channel, message));
    },
    subscribe(channel, listener) {
      ensureOpen("subscribe");
      const { subscription } = channels.add(channel, listener);
      // `listening` reads true at once; the callback comes in a microtask, after subscribe() has
      // returned the subscription, and before any message published after it.
      subscription.listening = true;
      const { listening } = listener;
      if (listening !== undefined) {
        queueMicrotask(() => {
          if (!subscription.active) return;
          try {
            listening.call(listener);
          } catch {
            // See BusListener: what a listener throws is dropped.
          }
        });
      }
      return subscription;
    },
  };
  return { bus, close: () => channels.clear() };
}
