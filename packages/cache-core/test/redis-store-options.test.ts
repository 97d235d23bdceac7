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
    expect(storeClient({ client }, make, PKG)).toEqual({ client, ownsClient: false, timeoutMs: 250 });
    expect(storeClient({ client, ownsClient: true }, make, PKG)).toMatchObject({ client, ownsClient: true });
    for (const bad of [null, "yes", 1]) {
      expect(() => storeClient({ client, ownsClient: bad as never }, make, PKG)).toThrow(
        `[${PKG}] ownsClient must be true or false, got`,
      );
    }
    // A client the store makes is always its own.
    expect(storeClient({ connection: {} }, make, PKG).ownsClient).toBe(true);
    expect(storeClient({ cluster: {} }, make, PKG).ownsClient).toBe(true);
  });

  it("refuses a client, or anything but a plain object, where the options go, naming the fix", () => {
    class Redis {
      status = "ready";
    }
    const refused = (options: unknown) => () => storeClient(options as never, make, PKG, "exampleStore");
    for (const options of [new Redis(), new Map(), new Date()]) {
      expect(refused(options)).toThrow(InvalidOptionError);
      expect(refused(options)).toThrow(
        `[${PKG}] exampleStore() takes an options object, not a client: to use an existing client, pass it as exampleStore({ client }), got `,
      );
    }
    for (const options of [null, "redis://127.0.0.1:6380", 5, []]) {
      expect(refused(options)).toThrow(
        `[${PKG}] exampleStore() takes an options object such as { client }, { connection } or { cluster }, got `,
      );
    }
    expect(storeClient(Object.assign(Object.create(null), { client }), make, PKG).client).toBe(client);
  });

  it("refuses a misspelt option name, and checks timeoutMs, before it makes a client", () => {
    let made = 0;
    const counting = { cluster: () => ++made, connection: () => ++made };
    expect(() => storeClient({ connection: {}, timeout: 5 } as never, counting, PKG)).toThrow(
      `[${PKG}] unknown option "timeout"; the options are timeoutMs, ownsClient, client, cluster, connection (did you mean "timeoutMs"?)`,
    );
    expect(() => storeClient({ clinet: client } as never, counting, PKG)).toThrow('unknown option "clinet"');
    expect(() => storeClient({ connection: {}, timeoutMs: 0 }, counting, PKG)).toThrow("timeoutMs must be");
    expect(made).toBe(0);
    expect(storeClient({ connection: {}, timeoutMs: 40 }, counting, PKG)).toEqual({
      client: 1,
      ownsClient: true,
      timeoutMs: 40,
    });
  });
});
