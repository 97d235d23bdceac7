import { randomUUID } from "node:crypto";
import type { Store } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchDocsApp } from "../support/search-docs-app";
import { timeSettled } from "../support/wait-for";
import type { RedisStoreKit } from "./redis-store-kit";

/**
 * The guides' cache scenarios through `createCache`, on store-lru and on this Redis store with
 * the very same application code: only the line that makes the store differs.
 */
export function cacheScenarios(name: string, kit: RedisStoreKit): void {
  let server: RedisServer;
  const stores: Store[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await server.stop();
  });
  const track = <S extends Store>(store: S): S => {
    stores.push(store);
    return store;
  };

  // The one line an application changes to move from one process to a fleet (and the options
  // that put a first tier in front of Redis, which must change nothing the application sees).
  const twoTiers = { l1: true, singleFlight: "fleet" } as const;
  const deployments: Record<string, (namespace?: string) => ReturnType<typeof searchDocsApp>> = {
    "store-lru": (namespace) => searchDocsApp(track(lruStore({ max: 1000 })), namespace),
    [name]: (namespace) => searchDocsApp(track(kit.created(server.url)), namespace),
    [`${name} with two tiers`]: (namespace) =>
      searchDocsApp(track(kit.created(server.url)), namespace, twoTiers),
  };

  describe.each(Object.entries(deployments))("the same application on %s", (_, makeApp) => {
    it("serves a repeated call from the cache", async () => {
      const app = makeApp();
      const first = await app.searchDocs({ query: "mcp monitoring", limit: 5 });
      expect(await app.searchDocs({ query: "mcp monitoring", limit: 5 })).toEqual(first);
      expect(app.upstreamCalls()).toBe(1);
    });

    it("ignores argument order", async () => {
      const app = makeApp();
      await app.searchDocs({ limit: 5, query: "mcp monitoring" });
      await app.searchDocs({ query: "mcp monitoring", limit: 5 });
      expect(app.upstreamCalls()).toBe(1);
    });

    it("gives every hit a value of its own: mutating one, deeply, changes no later hit", async () => {
      const { cache } = makeApp();
      const result = () => ({
        content: [{ type: "text", text: "2 results" }],
        structuredContent: {
          results: [
            { id: "a", tags: ["x"] },
            { id: "b", tags: [] },
          ],
        },
      });
      const call = () => cache.wrap({ tool: "search_docs", args: { query: "mcp" } }, result);
      await call();
      for (let hit = 0; hit < 3; hit++) {
        const value = await call();
        expect(value).toStrictEqual(result());
        value.structuredContent.results[0]?.tags.push("mutated");
        value.structuredContent.results.pop();
        value.content.length = 0;
      }
    });

    it("keeps per-caller results apart", async () => {
      const app = makeApp();
      const alice = await app.searchDocs({ query: "my tickets", limit: 5 }, { user: "alice" });
      const bob = await app.searchDocs({ query: "my tickets", limit: 5 }, { user: "bob" });
      expect(bob).not.toEqual(alice);
      expect(await app.searchDocs({ query: "my tickets", limit: 5 }, { user: "alice" })).toEqual(alice);
      expect(app.upstreamCalls()).toBe(2);
    });
  });

  // How late the other worker may see an invalidation: one tier reads its copy of the generations
  // again after generationRefreshMs (1 s by default); two tiers hear it on the coherence channel.
  it.each([
    ["one tier", {}, 1100],
    ["two tiers", twoTiers, 100],
  ] as const)(
    `two workers on one Redis share results through ${name} (%s): the second worker's call is a hit`,
    async (_, tiers, seenWithinMs) => {
      const namespace = `fleet-${randomUUID()}`;
      const workerA = searchDocsApp(track(kit.created(server.url)), namespace, tiers);
      const workerB = searchDocsApp(track(kit.created(server.url)), namespace, tiers);
      await Promise.all([workerA.cache.ready(), workerB.cache.ready()]);
      const answer = await workerA.searchDocs({ query: "get_user 123", limit: 1 });
      expect(await workerB.searchDocs({ query: "get_user 123", limit: 1 })).toEqual(answer);
      expect(workerB.upstreamCalls()).toBe(0);
      // An invalidation in one worker reaches the other (its first tier too), within the bound.
      await workerA.cache.invalidateTool("search_docs");
      await new Promise((resolve) => setTimeout(resolve, seenWithinMs));
      await workerB.searchDocs({ query: "get_user 123", limit: 1 });
      expect(workerB.upstreamCalls()).toBe(1);
    },
  );

  it(`falls through to the tool, within the deadline, when Redis behind ${name} is frozen or killed`, async () => {
    const redis = await startRedis();
    const app = searchDocsApp(track(kit.created(redis.url)));
    await app.searchDocs({ query: "warm", limit: 1 });
    redis.freeze();
    const frozen = await timeSettled(app.searchDocs({ query: "warm", limit: 1 }));
    await redis.kill();
    const killed = await timeSettled(app.searchDocs({ query: "warm", limit: 1 }));
    for (const { ms, error } of [frozen, killed]) {
      expect(error).toBeUndefined();
      expect(ms).toBeLessThan(2000); // one 250 ms deadline, not the client's retries
    }
    expect(app.upstreamCalls()).toBe(3);
    await redis.stop();
  });
}
