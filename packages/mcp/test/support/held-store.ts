import type { Store } from "@mcp-persist/cache-core";

/**
 * A real store whose script calls the test can count and hold back: `hold()` makes every `run` wait until
 * `release()`, so a rate-limit check can be caught in flight while other calls arrive. Nothing
 * else changes: the store answers every call itself.
 */
export function holdable(store: Store) {
  let held: Promise<void> | undefined;
  let release = (): void => {};
  const waiting = { count: 0 };
  const runs = { count: 0 };
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === "run") {
        return async (...args: Parameters<Store["run"]>) => {
          runs.count++;
          if (held !== undefined) {
            waiting.count++;
            await held;
          }
          return target.run(...args);
        };
      }
      // A synchronous run could not be held: without it, capabilities call `run`.
      if (property === "runSync") return undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    store: proxy,
    /** Script calls made while held. */
    waiting,
    /** Script calls made. */
    runs,
    hold(): void {
      held = new Promise((resolve) => {
        release = () => {
          held = undefined;
          resolve();
        };
      });
    },
    release: () => release(),
  };
}
