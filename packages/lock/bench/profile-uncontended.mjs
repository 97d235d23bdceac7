// What one uncontended `withLock` costs, per call, on the built packages, beside redlock and
// redis-semaphore: ops/s, Node CPU (process.cpuUsage), Redis CPU (INFO cpu), then, in a second
// pass with async_hooks on, the timers, immediates, promises and AbortControllers made per call.
//
//   pnpm --filter @mcp-persist/lock build   (and the stores)
//   node packages/lock/bench/profile-uncontended.mjs ioredis [calls] [concurrency]
//   node --cpu-prof --cpu-prof-dir=/tmp/lock-prof packages/lock/bench/profile-uncontended.mjs node-redis
//
// Lines: ioredis, node-redis (withLock on each store), redlock, redis-semaphore (on ioredis).
// Starts its own redis-server on a free loopback port (or uses REDIS_URL) and stops it at the end.
import { createHook } from "node:async_hooks";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { withLock } from "@mcp-persist/lock";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Mutex } from "redis-semaphore";
import Redlock from "redlock";

const [line = "ioredis", callsArg = "50000", concurrencyArg = "16"] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);
const TTL_MS = 10_000;

async function redisUrl() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.quit();
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await sleep(50);
    }
  }
  return { url, stop: async () => void server.kill() };
}

const redis = await redisUrl();
const admin = new Redis(redis.url);
const resource = (worker) => `profile-${process.pid}-w${worker}`;
let op;
let close;
if (line === "ioredis" || line === "node-redis") {
  const client =
    line === "ioredis"
      ? new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true })
      : createClient({ url: redis.url, disableOfflineQueue: true });
  await client.connect();
  const store = line === "ioredis" ? ioredisStore({ client }) : nodeRedisStore({ client });
  op = async (i, worker) => {
    const result = await withLock(store, resource(worker), () => i, { ttlMs: TTL_MS, namespace: "profile" });
    if (result.status !== "ran") throw new Error(`withLock was ${result.status} on an uncontended resource`);
  };
  close = () => (line === "ioredis" ? client.quit() : client.close());
} else if (line === "redlock" || line === "redis-semaphore") {
  const client = new Redis(redis.url);
  const redlock = new Redlock([client]);
  op =
    line === "redlock"
      ? (i, worker) => redlock.using([resource(worker)], TTL_MS, async () => i)
      : async (_, worker) => {
          const mutex = new Mutex(client, resource(worker), { lockTimeout: TTL_MS });
          await mutex.acquire();
          await mutex.release();
        };
  close = () => client.quit();
} else throw new Error(`unknown line ${line}: ioredis, node-redis, redlock or redis-semaphore`);

async function run(n) {
  let next = 0;
  const worker = async (w) => {
    while (next < n) await op(next++, w);
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
}
const redisCpuSeconds = async () => {
  const info = await admin.info("cpu");
  return Number(/used_cpu_user:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]);
};

await run(Math.min(calls, 10_000)); // warm-up: JIT, script cache, connections
const redisBefore = await redisCpuSeconds();
const cpuBefore = process.cpuUsage();
const started = performance.now();
await run(calls);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const redisUs = ((await redisCpuSeconds()) - redisBefore) * 1e6;

// Second pass, hooks on (slower; counts only): what each call creates.
const made = new Map();
const RealAbortController = globalThis.AbortController;
globalThis.AbortController = class extends RealAbortController {
  constructor() {
    super();
    made.set("AbortController", (made.get("AbortController") ?? 0) + 1);
  }
};
const hook = createHook({ init: (_id, type) => made.set(type, (made.get(type) ?? 0) + 1) });
const counted = Math.min(calls, 5000);
hook.enable();
await run(counted);
hook.disable();
globalThis.AbortController = RealAbortController;

const perCall = (n, of = calls) => Number((n / of).toFixed(2));
console.log(
  JSON.stringify({
    line,
    calls,
    concurrency,
    opsPerSec: Math.round(calls / seconds),
    nodeCpuUsPerCall: perCall(cpu.user + cpu.system),
    redisCpuUsPerCall: perCall(redisUs),
    madePerCall: Object.fromEntries([...made].map(([type, n]) => [type, perCall(n, counted)])),
  }),
);
await close();
await admin.quit();
await redis.stop();
