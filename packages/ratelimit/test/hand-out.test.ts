import { randomUUID } from "node:crypto";
import type { Logger } from "@mcp-persist/cache-core";
import { useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createRateLimiter, type RateLimitResult } from "../src/index";
import { PATIENT, storeKinds } from "./support/stores";

const redis = useRedis();

// A burst's decisions come back in one reply and are handed out a part per event-loop turn (the
// script runner's #handOut): what happens between two parts must neither lose nor change the
// later ones.
describe.each(storeKinds(redis).filter((kind) => kind.redis))(
  "a burst handed out in parts on $name",
  (kind) => {
    it("after the first part the store fails and closes: the later parts keep the store's decisions", async () => {
      const store = kind.open();
      await store.ping();
      const events: string[] = [];
      const record = (fields: object) => events.push((fields as { event: string }).event);
      const logger: Logger = { debug() {}, info: record, warn: record, error: record };
      const limiter = createRateLimiter({
        ...PATIENT,
        logger,
        store,
        limit: 40,
        windowMs: 60_000,
        prefix: randomUUID(),
      });
      let afterFirst: Promise<[RateLimitResult, void]> | undefined;
      const settled: number[] = [];
      const burst = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          limiter.check("caller:tool").then((result) => {
            settled.push(i);
            // In the first decision's continuation, while the rest of the burst waits for its turn:
            // the store closes, and a check made now fails on it.
            afterFirst ??= Promise.all([limiter.check("caller:tool"), store.close()]);
            return result;
          }),
        ),
      );
      const [late] = (await afterFirst) ?? [];

      expect(settled).toHaveLength(60);
      expect(new Set(settled).size).toBe(60);
      expect(burst.filter((result) => result.allowed)).toHaveLength(40);
      expect(burst.every((result) => result.reason === (result.allowed ? "ok" : "limited"))).toBe(true);
      expect(late?.reason).toBe("degraded");
      // The store's answers from before it failed do not make it look recovered afterwards.
      expect(events).toEqual(["ratelimit_store_unavailable"]);
    });
  },
);
