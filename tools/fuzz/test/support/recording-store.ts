import type { Store } from "@mcp-persist/cache-core";

/** One store call as a {@link recordingStore} saw it: the operation, and the keys it touched together. */
export interface StoreCall {
  operation: string;
  /** Every key of the call: one for get/set/delete, a script's KEYS for run. */
  keys: readonly string[];
  /** The script's name, for run. */
  script?: string;
}

/**
 * A real store that records the keys of every call, synchronous ones included, and otherwise
 * answers as it would. The tests read where a capability put things without trusting its layout
 * code. With `cluster: true` it says it is a Redis Cluster (and runs every script as before).
 */
export function recordingStore(
  inner: Store,
  options: { cluster?: boolean } = {},
): { store: Store; calls: StoreCall[] } {
  const calls: StoreCall[] = [];
  const record = (operation: string, args: unknown[]): void => {
    if (operation === "run" || operation === "runSync") {
      const [script, keys] = args as [{ name: string }, readonly string[]];
      calls.push({ operation, keys: [...keys], script: script.name });
    } else {
      calls.push({ operation, keys: [args[0] as string] });
    }
  };
  const recorded = new Set(["get", "getSync", "set", "delete", "run", "runSync"]);
  const store = new Proxy(inner, {
    get(target, property) {
      // Declared a Cluster, capabilities split multi-key scripts by slot, as they would on one.
      if (property === "capabilities" && options.cluster) return { ...target.capabilities, cluster: true };
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (typeof property !== "string" || !recorded.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        record(property, args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}
