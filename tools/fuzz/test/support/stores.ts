import type { Store } from "@mcp-persist/cache-core";
import { createManualClock, faultyStore } from "@mcp-persist/cache-core/testing";
import { lruStore } from "@mcp-persist/store-lru";
import fc from "fast-check";

/** Stores a fuzzed option can name: a working one, and ones that fail each way but hanging. */
export type StoreChoice = "lru" | "reject" | "throw";
export const storeChoice = fc.constantFrom<StoreChoice>("lru", "lru", "lru", "lru", "reject", "throw");

/** Opens the chosen store; the caller closes it (`store.close()`). */
export function openStore(choice: StoreChoice): Store {
  const inner = lruStore({ max: 1000, maxStateKeys: 1000 });
  return choice === "lru" ? inner : faultyStore(inner, choice);
}

/** Clocks a fuzzed option can name: the default, a manual one. */
export const clockChoice = fc
  .constantFrom(undefined, "manual")
  .map((kind) => (kind === undefined ? undefined : createManualClock(1_800_000_000_000)));
