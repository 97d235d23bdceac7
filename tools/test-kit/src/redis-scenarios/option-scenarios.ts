import { createCache, InvalidOptionError } from "@mcp-persist/cache-core";
import { describe, expect, it } from "vitest";
import { useRedis } from "../use-redis";
import type { RedisStoreKit } from "./redis-store-kit";

/**
 * Options a store must refuse at once, before any call: a store built on them would fail every
 * call as a store outage (and a lock with `onStoreDown: "proceed"` would run unlocked each time).
 */
export function optionScenarios(kit: RedisStoreKit): void {
  const redis = useRedis();
  const factory = kit.built.factory;

  describe("the store's options", () => {
    it("refuses a client passed where the options go, naming the fix", async () => {
      const { misuse, drop } = await kit.clientAsOptions(redis().url);
      try {
        expect(misuse).toThrow(InvalidOptionError);
        expect(misuse).toThrow(
          `${factory}() takes an options object, not a client: to use an existing client, pass it as ${factory}({ client }), got `,
        );
      } finally {
        drop();
      }
    });

    it("refuses the client itself where a store goes, saying to wrap it", async () => {
      const { client, drop } = await kit.clientAsOptions(redis().url);
      try {
        // Every capability checks its store with cache-core's assertStore: one message for all.
        const misuse = () => createCache({ store: client as never, defaultTtlMs: 1000 });
        expect(misuse).toThrow(InvalidOptionError);
        expect(misuse).toThrow(
          "store must be an mcp-persist Store, e.g. lruStore(), ioredisStore({ client }) or nodeRedisStore({ client }); " +
            "got a Redis client: wrap it in a store first, ioredisStore({ client }) or nodeRedisStore({ client })",
        );
      } finally {
        drop();
      }
    });

    it("refuses a misspelt option name before it connects", () => {
      const make = () => kit.created(redis().url, { timeout: 100 } as never);
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(
        'unknown option "timeout"; the options are timeoutMs, ownsClient, client, cluster, connection (did you mean "timeoutMs"?)',
      );
    });
  });
}
