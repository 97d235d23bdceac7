import type { StoreBus } from "./bus";
import type { Clock } from "./clock";
import { InvalidOptionError, StoreClosedError, WrongTypeError } from "./errors";
import { createLocalBus } from "./local-bus";
import { createLocalContext, type LocalKeyspace } from "./local-context";
import { runLocalScript } from "./run-local-script";
import type { Store, StoreCapabilities } from "./store";
import { tieredKeyspace } from "./tiered-keyspace";
import { assertTtlMs } from "./ttl";

/** What {@link createLocalStore} needs from an in-process store. */
export interface LocalStoreParts {
  /** Store name for logs and errors, e.g. `lru`. */
  name: string;
  /** The store's npm package, named in its errors, e.g. `@mcp-persist/store-lru`. */
  package: string;
  /** Where entries live. */
  keyspace: LocalKeyspace;
  /**
   * Where keys written by scripts live (generation counters, locks, rate-limit windows), apart
   * from `keyspace`, so that evicting entries never drops them. Give it a bound of its own.
   * Reads and deletes see both as one keyspace (see `tieredKeyspace`).
   * @default keyspace (one keyspace for everything: what it evicts, it evicts from both)
   */
  state?: LocalKeyspace;
  /** The clock scripts read (`ctx.now()`); must be the one the keyspace expires entries by. */
  clock: Clock;
  /** Releases the keyspace; runs once, on the first `close()`. */
  release?: () => void;
}

const LOCAL: StoreCapabilities = Object.freeze({ shared: false, cluster: false });

/**
 * Builds the whole {@link Store} contract over a {@link LocalKeyspace}: TTL checks, atomic
 * scripts through the reference {@link createLocalContext}, a same-process `bus`, `close()`
 * semantics. In-process
 * stores differ only in their keyspace, so they are written once, here.
 */
export function createLocalStore(
  parts: LocalStoreParts,
): Store & { readonly bus: StoreBus; readonly clock: Clock } {
  const { name } = parts;
  const pkg = parts.package;
  const { entries: keyspace, scripts } =
    parts.state === undefined
      ? { entries: parts.keyspace, scripts: parts.keyspace }
      : tieredKeyspace(parts.keyspace, parts.state);
  const ctx = createLocalContext(scripts, parts.clock);
  let closed = false;
  const ensureOpen = (operation: string): void => {
    if (closed) throw new StoreClosedError(pkg, name, operation);
  };
  const local = createLocalBus(pkg, ensureOpen);
  const getSync = (key: string): string | undefined => {
    ensureOpen("get");
    const value = keyspace.read(key);
    if (typeof value === "object") throw new WrongTypeError(pkg, "get");
    return value;
  };
  const runSync: NonNullable<Store["runSync"]> = (script, keys, args) => {
    ensureOpen("run");
    return runLocalScript(script, ctx, keys, args);
  };
  return {
    name,
    capabilities: LOCAL,
    getSync,
    runSync,
    clock: parts.clock,
    bus: local.bus,
    async get(key) {
      return getSync(key);
    },
    async set(key, value, ttlMs) {
      ensureOpen("set");
      assertTtlMs(ttlMs, pkg);
      if (typeof value !== "string") {
        throw new InvalidOptionError(
          pkg,
          `set() takes a string value (encode it first), got ${typeof value}`,
        );
      }
      keyspace.write(key, value, Math.ceil(ttlMs));
    },
    async delete(key) {
      ensureOpen("delete");
      return keyspace.remove(key);
    },
    async run(script, keys, args) {
      return runSync(script, keys, args);
    },
    async ping() {
      ensureOpen("ping");
      // In process there is no round trip to measure.
      return 0;
    },
    async close() {
      // Every operation runs to completion synchronously, so there is nothing left to drain.
      if (closed) return;
      closed = true;
      local.close();
      parts.release?.();
    },
  };
}
