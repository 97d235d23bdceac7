import { setTimeout as sleep } from "node:timers/promises";
import type { Store } from "@mcp-persist/cache-core";
import { sampleScripts } from "@mcp-persist/cache-core/testing";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { describe, expect, it } from "vitest";
import { timeSettled, waitFor } from "../support/wait-for";
import { codeOf, type RedisStoreKit } from "./redis-store-kit";

/**
 * The store's deadline is 250 ms; both clients' defaults keep a command waiting for tens of
 * seconds (retries, offline queues), or for ever on a frozen server. 2 s tells them apart.
 */
const FAIL_FAST_BOUND_MS = 2000;

const faults = {
  killed: (server: RedisServer) => server.kill(),
  "frozen (SIGSTOP)": async (server: RedisServer) => server.freeze(),
};

/** Every kind of store call, each with how long it took to reject. */
function everyCall(store: Store) {
  return Promise.all([
    timeSettled(store.get("k")),
    timeSettled(store.set("k", "v", 60_000)),
    timeSettled(store.delete("k")),
    timeSettled(store.run(sampleScripts.incrWithTtl, ["n"], [1, 60_000])),
    timeSettled(store.ping()),
  ]);
}

/** Both faults, on a store-created client and on a default-configured one handed in. */
export function failFastScenarios(kit: RedisStoreKit): void {
  const clients = {
    "a store-created client": async (url: string) => kit.created(url),
    "a default-configured client handed in": (url: string) => kit.handedDefault(url),
  };
  describe.each(Object.entries(clients))("%s", (_, makeStore) => {
    it.each(Object.entries(faults))(
      "with Redis %s, every call rejects within the deadline; a restart brings it back",
      async (_, fault) => {
        const server = await startRedis();
        const store = await makeStore(server.url);
        try {
          await store.set("k", "v", 60_000);
          await fault(server);
          for (const { ms, error } of await everyCall(store)) {
            expect(codeOf(error)).toMatch(/^ERR_STORE_(TIMEOUT|UNAVAILABLE)$/);
            expect(ms).toBeLessThan(FAIL_FAST_BOUND_MS);
          }
          await server.restart();
          await waitFor("the store to answer after the restart", () =>
            store.ping().then(
              () => true,
              () => false,
            ),
          );
          await store.set("k", "back", 60_000);
          expect(await store.get("k")).toBe("back");
        } finally {
          server.thaw();
          await store.close();
          await server.stop();
        }
      },
    );
  });

  it("the same kind of default client on its own is still waiting after the bound, killed or frozen (the test can tell)", async () => {
    const [killed, frozen] = await Promise.all([startRedis(), startRedis()]);
    const clients = await Promise.all([kit.bareDefaultClient(killed.url), kit.bareDefaultClient(frozen.url)]);
    await killed.kill();
    frozen.freeze();
    let settled = 0;
    const count = () => settled++;
    for (const client of clients) client.get("k").then(count, count);
    await sleep(FAIL_FAST_BOUND_MS);
    expect(settled).toBe(0);
    for (const client of clients) client.drop();
    await Promise.all([killed.stop(), frozen.stop()]);
  });
}
