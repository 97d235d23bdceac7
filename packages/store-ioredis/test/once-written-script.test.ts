import { type RedisServer, startRedis } from "@mcp-persist/test-redis";
import { Command, Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DROPPED, OnceWrittenScript } from "../src/once-written-script";

// The adapter hands the store the command's own promise: when a PING went out in the script's
// place (the store had given up on the call, or the client re-sent it after a reconnect), that
// promise must reject, never resolve with the PING's "PONG" as if it were the script's reply.

let server: RedisServer;
let client: Redis;
beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.url);
  await client.ping();
});
afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

const script = (settled: boolean) =>
  new OnceWrittenScript("eval", ["return redis.call('INCR', KEYS[1])", 1, "once-written"], undefined, {
    settled,
  });

it("resolves with the script's reply when the script itself was written", async () => {
  const written = script(false);
  client.sendCommand(written);
  await expect(written.promise).resolves.toBe(1);
  expect(written.substituted).toBe(false);
});

it("rejects, without running the script, when a PING was written in its place", async () => {
  const substituted = script(true);
  client.sendCommand(substituted);
  await expect(substituted.promise).rejects.toThrow(DROPPED);
  expect(substituted.substituted).toBe(true);
  expect(await client.get("once-written")).toBe("1");
  // The PING's reply was consumed in order: the connection still pairs replies with commands.
  expect(await client.incr("once-written")).toBe(2);
});

it("writes the bytes ioredis writes for the same command, the client's keyPrefix on KEYS only", () => {
  // Its arguments skip Command's copy (see flatAlready): what goes out must not change for it.
  const args = () => ["sha1-of-the-script", 2, "lock", "lock:fence", "token", 10_000];
  for (const keyPrefix of [undefined, "app:"]) {
    const ours = new OnceWrittenScript("evalsha", args(), keyPrefix, { settled: false });
    const theirs = new Command("evalsha", args(), { keyPrefix, replyEncoding: "utf8" });
    expect(ours.toWritable(client.stream)).toBe(theirs.toWritable(client.stream));
  }
  const prefixed = new OnceWrittenScript("evalsha", args(), "app:", { settled: false });
  expect(prefixed.args).toEqual(["sha1-of-the-script", "2", "app:lock", "app:lock:fence", "token", "10000"]);
});
