import type { Store } from "@mcp-persist/cache-core";

/** How a script's runs misbehave: never answer (a hung server) or reject (a failing one). */
export type ScriptFault = "hang" | "reject";

/**
 * A real store whose runs of the named scripts fail in the chosen way, while everything else
 * goes through: to stop one holder's lease renewals (or commits) and nothing else.
 */
export function breakScripts(inner: Store, names: readonly string[], fault: ScriptFault): Store {
  return {
    name: `${inner.name}(broken ${names.join(",")})`,
    // Without the inner store's deadline (an in-process store's is 0): a broken script may hang.
    capabilities: { shared: inner.capabilities.shared, cluster: inner.capabilities.cluster },
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    delete: (key) => inner.delete(key),
    run: (script, keys, args, options) => {
      if (!names.includes(script.name)) return inner.run(script, keys, args, options);
      if (fault === "hang") return new Promise<never>(() => {});
      return Promise.reject(new Error(`${script.name} failed on purpose`));
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
