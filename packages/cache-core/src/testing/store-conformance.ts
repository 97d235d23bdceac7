import type { StoreCapabilities } from "../store";
import { basicTests } from "./conformance-basics";
import { lifecycleTests } from "./conformance-lifecycle";
import { scriptTests } from "./conformance-scripts";
import type { ConformanceTest, MakeStore } from "./conformance-support";
import { ttlTests } from "./conformance-ttl";

/**
 * Registers the store conformance tests: get/set/delete, millisecond and absolute TTLs, invalid
 * TTLs, large, unicode and binary-looking keys and values, concurrency, scripts (each reply
 * compared with the script's JS body on the reference context: on a Redis store this shows the
 * Lua and JS bodies agree), atomicity, `ping` and `close`.
 *
 * Uses `node:assert`, so it runs under vitest, node:test or any runner with `test(name, fn)`.
 * Every test gets a fresh store from `makeStore` (closed afterwards) and its own random key
 * prefix, so stores may share one server and tests may run in any order.
 *
 * ```ts
 * import { test } from "vitest";
 * storeConformance(test, () => lruStore({ max: 1000 }), { scripts: true, shared: false, serverTime: false });
 * ```
 * @param capabilities what the store declares; the kit skips what is declared missing and checks
 *   that `store.capabilities` says the same. @default scripts: true, shared: false, serverTime: false
 */
export function storeConformance(
  test: ConformanceTest,
  makeStore: MakeStore,
  capabilities: Partial<StoreCapabilities> = {},
): void {
  const suite = {
    test: (name: string, fn: () => Promise<void>) => test(`store conformance: ${name}`, fn),
    makeStore,
    capabilities: { scripts: true, shared: false, serverTime: false, ...capabilities },
  };
  basicTests(suite);
  ttlTests(suite);
  scriptTests(suite);
  lifecycleTests(suite);
}
