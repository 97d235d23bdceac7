import { defineScript } from "@mcp-persist/cache-core/kit";
import { type NodeRedisStore, nodeRedisStore } from "@mcp-persist/store-node-redis";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// node-redis 6 arms an AbortSignal.timeout for every command sent with a command timeout (its
// default is 5 s): a timer, a signal and a weak reference per command. For every command the
// store sends (scripts, GET, SET, DEL, PUBLISH), its own abort signal does that job, sooner.
const echo = defineScript<string>({
  name: "test-echo",
  lua: "return ARGV[1]",
  local: (_ctx, _keys, [value = ""]) => value,
});

/** One call of each kind the store sends, each checking its own reply. */
const CALLS: Record<string, (store: NodeRedisStore) => Promise<void>> = {
  script: async (store) => expect(await store.run(echo, [], ["measured"])).toBe("measured"),
  get: async (store) => expect(await store.get("timeout-test")).toBe("v"),
  set: (store) => store.set("timeout-test", "v", 60_000),
  delete: async (store) => expect(await store.delete("timeout-test-gone")).toBe(false),
  publish: (store) => store.bus.publish("timeout-test", "hello"),
};

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

async function timeoutsArmedBy(
  call: (store: NodeRedisStore) => Promise<void>,
  commandTimeoutMs: number | undefined,
  storeTimeoutMs: number,
) {
  const client = createClient({
    url: server.url,
    ...(commandTimeoutMs === undefined ? {} : { commandOptions: { timeout: commandTimeoutMs } }),
  });
  client.on("error", () => {});
  const store = nodeRedisStore({
    client: await client.connect(),
    ownsClient: true,
    timeoutMs: storeTimeoutMs,
  });
  try {
    // Once first: the script is then an EVALSHA the server already has, and the key is there.
    expect(await store.run(echo, [], ["warm"])).toBe("warm");
    await store.set("timeout-test", "v", 60_000);
    const timeout = vi.spyOn(AbortSignal, "timeout");
    await call(store);
    return timeout.mock.calls.map(([ms]) => ms);
  } finally {
    await store.close();
  }
}

describe.each(Object.entries(CALLS))("a store call (%s)", (_kind, call) => {
  it("goes without node-redis's own per-command timeout when the store's deadline comes first", async () => {
    expect(await timeoutsArmedBy(call, undefined, 250)).toEqual([]);
    expect(await timeoutsArmedBy(call, 1000, 250)).toEqual([]);
  });

  it("keeps a client's own command timeout when it is shorter than the store's deadline", async () => {
    expect(await timeoutsArmedBy(call, 100, 250)).toEqual([100]);
  });
});
