import { InvalidOptionError } from "@mcp-persist/cache-core";
import { DEFAULT_REDIS_TIMEOUT_MS, resolveTimeoutMs, storeClient } from "@mcp-persist/cache-core/redis";
import { describe, expect, it } from "vitest";

// What every Redis store checks before it opens a connection (store-ioredis, store-node-redis).

const PKG = "@mcp-persist/store-example";
const client = { name: "the application's client" };
const make = {
  cluster: () => ({ name: "made for a cluster" }),
  connection: () => ({ name: "made for a connection" }),
};

describe("a Redis store's options", () => {
  it("timeoutMs: only undefined takes the default; null and every other wrong value are refused", () => {
    expect(resolveTimeoutMs(PKG, undefined)).toBe(DEFAULT_REDIS_TIMEOUT_MS);
    expect(resolveTimeoutMs(PKG, 40)).toBe(40);
    for (const bad of [null, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, "250", Object.create(null)]) {
      expect(() => resolveTimeoutMs(PKG, bad as never)).toThrow(InvalidOptionError);
    }
    expect(() => resolveTimeoutMs(PKG, null as never)).toThrow(
      `[${PKG}] timeoutMs must be a positive finite number of milliseconds, got null`,
    );
  });

  it("ownsClient: false unless true; null and other values are refused, naming the store's package", () => {
    expect(storeClient({ client }, make, PKG)).toEqual({ client, ownsClient: false });
    expect(storeClient({ client, ownsClient: true }, make, PKG)).toEqual({ client, ownsClient: true });
    for (const bad of [null, "yes", 1]) {
      expect(() => storeClient({ client, ownsClient: bad as never }, make, PKG)).toThrow(
        `[${PKG}] ownsClient must be true or false, got`,
      );
    }
    // A client the store makes is always its own.
    expect(storeClient({ connection: {} }, make, PKG).ownsClient).toBe(true);
    expect(storeClient({ cluster: {} }, make, PKG).ownsClient).toBe(true);
  });
});
