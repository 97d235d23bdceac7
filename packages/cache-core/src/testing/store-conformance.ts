import type { StoreCapabilities } from "../store";
import { basicTests } from "./conformance-basics";
import { busTests } from "./conformance-bus";
import { closeTests } from "./conformance-close";
import { lifecycleTests } from "./conformance-lifecycle";
import { scriptTests } from "./conformance-scripts";
import type { ConformanceOptions, ConformanceTest, MakeStore } from "./conformance-support";
import { ttlTests } from "./conformance-ttl";

/**
 * Registers the store conformance tests: get/set/delete, millisecond and absolute TTLs, invalid
 * TTLs, large, unicode and binary-looking keys and values, concurrency, scripts (each reply
 * compared with the script's JS body on the reference context: on a Redis store this shows the
 * Lua and JS bodies agree), atomicity, the `bus` (messages, order, unsubscribe, failing listeners,
 * and across each outage on a shared store), `ping` and `close` — including `close()` right after
 * creation and during each outage in `options.outages`, which must settle and leave no
 * connection open (a process with nothing else to do then exits by itself).
 *
 * Uses `node:assert`, so it runs under vitest, node:test or any runner with `test(name, fn)`.
 * Every test gets a fresh store from `makeStore` (closed afterwards) and its own random key
 * prefix, so stores may share one server and tests may run in any order.
 *
 * ```ts
 * import { test } from "vitest";
 * storeConformance(test, () => lruStore({ max: 1000 }), { shared: false, cluster: false });
 * storeConformance(test, () => myRedisStore(server.url), { shared: true, cluster: false }, {
 *   outages: { "Redis frozen": { begin: () => server.freeze(), end: () => server.thaw() } },
 * });
 * ```
 * @param capabilities what the store declares; the kit skips what is declared missing and checks
 *   that `store.capabilities` says the same. @default shared: false, cluster: false
 * @param options.outages outages the kit may cause for the "close during an outage" and "bus
 *   across an outage" tests; none skips them. @default {}
 * @param options.bus whether the store has a `bus`. @default true
 */
export function storeConformance(
  test: ConformanceTest,
  makeStore: MakeStore,
  capabilities: Partial<StoreCapabilities> = {},
  options: ConformanceOptions = {},
): void {
  const suite = {
    test: (name: string, fn: () => Promise<void>) => test(`store conformance: ${name}`, fn),
    makeStore,
    capabilities: { shared: false, cluster: false, ...capabilities },
    outages: options.outages ?? {},
    bus: options.bus ?? true,
  };
  basicTests(suite);
  ttlTests(suite);
  scriptTests(suite);
  lifecycleTests(suite);
  closeTests(suite);
  busTests(suite);
}
