import type { Store } from "../store";

/** How a {@link faultyStore} misbehaves: `reject` (a failing server), `throw` (a buggy client), `hang` (a dead connection). */
export type Fault = "reject" | "throw" | "hang";

/** The store calls a {@link faultyStore} can break. */
export type FaultyOperation = "get" | "set" | "delete" | "run" | "ping";

/**
 * Wraps a store so that the chosen operations fail in the chosen way, for testing that callers
 * degrade gracefully. Other operations, and `close()`, go to `inner`. It never offers `getSync`,
 * so every read goes through the (failing) `get`, and states no `deadlineMs`, so callers race its
 * calls against their own `storeTimeoutMs`.
 * @param options.only @default every operation
 */
export function faultyStore(
  inner: Store,
  fault: Fault,
  options: { only?: readonly FaultyOperation[] } = {},
): Store {
  const broken = new Set<FaultyOperation>(options.only ?? ["get", "set", "delete", "run", "ping"]);
  const fail = (operation: FaultyOperation): Promise<never> => {
    const error = new Error(`faulty store: ${operation}() failed on purpose (${fault})`);
    if (fault === "throw") throw error;
    if (fault === "reject") return Promise.reject(error);
    return new Promise<never>(() => {});
  };
  return {
    name: `faulty(${inner.name})`,
    // Without the inner store's `deadlineMs`: a call held back ("hang") never settles, so whoever
    // calls it must bound it with a deadline of their own.
    capabilities: Object.freeze({ shared: inner.capabilities.shared, cluster: inner.capabilities.cluster }),
    get: (key) => (broken.has("get") ? fail("get") : inner.get(key)),
    set: (key, value, ttlMs) => (broken.has("set") ? fail("set") : inner.set(key, value, ttlMs)),
    delete: (key) => (broken.has("delete") ? fail("delete") : inner.delete(key)),
    run: (script, keys, args) => (broken.has("run") ? fail("run") : inner.run(script, keys, args)),
    ping: () => (broken.has("ping") ? fail("ping") : inner.ping()),
    close: () => inner.close(),
  };
}
