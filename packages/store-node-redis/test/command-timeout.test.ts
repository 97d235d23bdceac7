import { defineScript } from "@mcp-persist/cache-core/kit";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";

// node-redis 6 arms an AbortSignal.timeout for every command sent with a command timeout (its
// default is 5 s). For scripts the store's own abort signal does that job, sooner.
const echo = defineScript<string>({
  name: "test-echo",
  lua: "return ARGV[1]",
  local: (_ctx, _keys, [value = ""]) => value,
});

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

async function timeoutsArmedByOneScript(commandTimeoutMs: number | undefined, storeTimeoutMs: number) {
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
    // Once first, so the measured call is an EVALSHA of a script the server already has.
    expect(await store.run(echo, [], ["warm"])).toBe("warm");
    const timeout = vi.spyOn(AbortSignal, "timeout");
    expect(await store.run(echo, [], ["measured"])).toBe("measured");
    return timeout.mock.calls.map(([ms]) => ms);
  } finally {
    await store.close();
  }
}

it("sends scripts without node-redis's own per-command timeout when the store's deadline comes first", async () => {
  expect(await timeoutsArmedByOneScript(undefined, 250)).toEqual([]);
  expect(await timeoutsArmedByOneScript(1000, 250)).toEqual([]);
});

it("keeps a client's own command timeout for scripts when it is shorter than the store's deadline", async () => {
  expect(await timeoutsArmedByOneScript(100, 250)).toEqual([100]);
});
