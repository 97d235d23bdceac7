import { InvalidOptionError } from "@mcp-persist/cache-core";
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

    it("refuses a misspelt option name before it connects", () => {
      const make = () => kit.created(redis().url, { timeout: 100 } as never);
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(
        'unknown option "timeout"; the options are timeoutMs, ownsClient, client, cluster, connection (did you mean "timeoutMs"?)',
      );
    });
  });
}
