import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Store, StoreCapabilities } from "../store";

/** A test registrar: vitest's `test`, node:test's `test`, or anything with that shape. */
export type ConformanceTest = (name: string, fn: () => Promise<void>) => unknown;

/** Makes a fresh store for one test; the kit closes it afterwards. */
export type MakeStore = () => Store | Promise<Store>;

/**
 * A way for the kit to take away what the store depends on, and give it back: for a Redis store,
 * `begin` freezes (SIGSTOP) or kills the server its `makeStore` connects to, `end` thaws or
 * restarts it. The kit runs no other test while an outage lasts, and always calls `end`.
 */
export interface Outage {
  begin(): void | Promise<void>;
  end(): void | Promise<void>;
}

/** What a store's test file may give the kit beyond its capabilities. */
export interface ConformanceOptions {
  /**
   * The outages the kit may cause, by name (`"Redis frozen"`, `"Redis killed"`): each adds a
   * "close during an outage" test. A store with nothing to lose (in process) gives none, and
   * those tests are skipped; a store with a server should give every kind it can survive.
   * @default {}
   */
  outages?: Readonly<Record<string, Outage>>;
  /**
   * Whether the store has a `bus` (messages between the processes sharing it). Every mcp-persist
   * store has one; a store without sets `false`, and the kit checks that it defines none.
   * @default true
   */
  bus?: boolean;
}

/** What each group of conformance tests gets. */
export interface Suite {
  test: ConformanceTest;
  makeStore: MakeStore;
  capabilities: StoreCapabilities;
  outages: Readonly<Record<string, Outage>>;
  bus: boolean;
}

/** Gives each test its own key prefix, so tests may share one Redis server and run in any order. */
export type KeyMaker = (name: string) => string;

/** Runs `body` with a fresh store and a fresh key prefix, closing the store afterwards. */
export async function withStore(
  suite: Suite,
  body: (store: Store, key: KeyMaker) => Promise<void>,
): Promise<void> {
  const store = await suite.makeStore();
  const prefix = `mcp-persist-conformance:${randomUUID()}:`;
  try {
    await body(store, (name) => prefix + name);
  } finally {
    await store.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asserts that `promise` rejects with an error carrying `code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, code, `${what} should reject with code ${code}`);
    return true;
  });
}
