import {
  type CacheEvent,
  type CacheOptions,
  createCache,
  type Logger,
  type Store,
} from "@mcp-persist/cache-core";
import { createManualClock, memoryStore } from "@mcp-persist/cache-core/testing";

/** A cache on the reference store with a manual clock. */
export function setup(options: Partial<CacheOptions> = {}) {
  const clock = createManualClock();
  const store = options.store ?? memoryStore({ clock });
  const events: CacheEvent[] = [];
  const cache = createCache({
    defaultTtlMs: 60_000,
    clock,
    onEvent: (event) => events.push(event),
    ...options,
    store,
  });
  return { clock, store, cache, events };
}

/** An upstream call that counts how often it ran and returns `make(n)` on the n-th call. */
export function upstream<T>(make: (n: number) => T) {
  const counter = {
    calls: 0,
    fn: async (): Promise<T> => make(++counter.calls),
  };
  return counter;
}

/** A promise settled from outside, to hold an upstream call open while others arrive. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A pino-shaped logger that records what it is given. */
export function recordingLogger(debug = true) {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    isLevelEnabled: (level) => debug || level !== "debug",
  };
  return { logger, lines };
}

/** Wraps a store to record the TTLs it is asked to set. */
export function recordingStore(inner: Store) {
  const ttls: number[] = [];
  const store: Store = {
    ...inner,
    name: inner.name,
    capabilities: inner.capabilities,
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => {
      ttls.push(ttlMs);
      return inner.set(key, value, ttlMs);
    },
    delete: (key) => inner.delete(key),
    run: (script, keys, args) => inner.run(script, keys, args),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return { store, ttls };
}

/** Lets every queued microtask and timer-free continuation run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `text` is well-formed Unicode (no lone surrogate): what a Redis store can keep byte for byte. */
export function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}
