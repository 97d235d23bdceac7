// What one uncontended `withLock` costs, per call, on the built packages, beside redlock and
// redis-semaphore: ops/s, Node CPU (process.cpuUsage), Redis CPU (INFO cpu), then, in a second
// pass with async_hooks on, the timers, immediates, promises and AbortControllers made per call.
// Starts its own redis-server (test-redis's startRedis, a free loopback port) and stops it at the
// end. Build first (pnpm turbo run build --filter=@mcp-persist/lock...). test-redis is TypeScript:
// run through tsx, from the benchmark's folder, which has it:
//
//   cd examples/store-benchmark
//   node --import tsx ../../packages/lock/bench/profile-uncontended.mjs ioredis [calls] [concurrency]
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/lock-prof ../../packages/lock/bench/profile-uncontended.mjs node-redis
//
// Lines: those of bench-lines.mjs (ioredis, node-redis, redlock, redis-semaphore, raw-ioredis, raw-node-redis).
import { createHook } from "node:async_hooks";
import { redisCpuUs, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { openLine } from "./bench-lines.mjs";

const [line = "ioredis", callsArg = "50000", concurrencyArg = "16"] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);

const redis = await startRedis();
const admin = new Redis(redis.url);
const { op, close } = await openLine(line, redis.url, "profile");

async function run(n) {
  let next = 0;
  const worker = async (w) => {
    while (next < n) await op(next++, w);
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
}

await run(Math.min(calls, 10_000)); // warm-up: JIT, script cache, connections
const redisBefore = await redisCpuUs(admin);
const cpuBefore = process.cpuUsage();
const started = performance.now();
await run(calls);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const redisUs = (await redisCpuUs(admin)) - redisBefore;

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
