// Profiles the Redis hit path as the benchmark's hit-path lines run it: `cache.wrap({ tool, args })`
// on store-ioredis or store-node-redis, or the raw baseline (GET + JSON.parse, precomputed key) on
// the same client, `concurrency` calls in flight, every call a hit. Needs a Redis: REDIS_URL.
//
//   REDIS_URL=redis://127.0.0.1:6390 node --cpu-prof --cpu-prof-dir=/tmp/redis-prof --import tsx \
//     profile/redis-hit-loop.ts [ours|raw] [ioredis|node-redis] [calls] [concurrency]
//
// Prints wall and CPU time (process.cpuUsage) per call.
import { createCache } from "@mcp-persist/cache-core";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { hitPathCalls } from "../src/calls";
import { callData } from "../src/context";
import { TOOL, UNIVERSE } from "../src/fixtures";
import { connectClients } from "../src/redis-clients";
import { ioredisKv, nodeRedisKv } from "../src/workloads/cache-lines";
import { hitPathSequence } from "../src/zipf";

const [line = "ours", client = "ioredis"] = process.argv.slice(2);
const total = Number(process.argv[4] ?? 200_000);
const concurrency = Number(process.argv[5] ?? 16);
const url = process.env.REDIS_URL;
if (url === undefined) throw new Error("set REDIS_URL");
const clients = await connectClients(url);
const data = callData(1024);
const calls = hitPathCalls(data, hitPathSequence(UNIVERSE, 100_000, 1));
const prefix = `profile-${process.pid}`;
let op: (i: number) => Promise<unknown>;
if (line === "ours") {
  const store =
    client === "ioredis"
      ? ioredisStore({ client: clients.ioredis })
      : nodeRedisStore({ client: clients.nodeRedis });
  const cache = createCache({ store, namespace: prefix, defaultTtlMs: 600_000 });
  op = (i) => cache.wrap({ tool: TOOL, args: calls.args(i) }, () => calls.result(i));
} else {
  const kv = client === "ioredis" ? ioredisKv(clients.ioredis) : nodeRedisKv(clients.nodeRedis);
  op = async (i) => {
    const key = `${prefix}:${calls.key(i)}`;
    const got = await kv.get(key);
    if (typeof got === "string") return JSON.parse(got);
    const value = calls.result(i);
    await kv.set(key, JSON.stringify(value), 600_000);
    return value;
  };
}
const run = async (from: number, count: number): Promise<void> => {
  let next = from;
  const end = from + count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) await op(next++);
    }),
  );
};
for (const i of calls.fill) await op(i);
await run(calls.start, 50_000);
const cpu = process.cpuUsage();
const start = performance.now();
await run(calls.start + 50_000, total);
const wall = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(
  `${client} ${line} c${concurrency}: ${((wall * 1e3) / total).toFixed(2)} µs wall, ${((used.user + used.system) / total).toFixed(2)} µs CPU per call`,
);
await clients.admin.eval(
  `for _, k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end`,
  0,
  `${prefix}*`,
);
await clients.close();
