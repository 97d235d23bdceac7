// Uncontended `withLock` on the built packages, beside redlock and redis-semaphore, against a
// redis-server of its own (test-redis's startRedis, a free loopback port): lines take turns in
// rounds, so a noisy machine slows them alike, and each prints its median over the rounds of
// ops/s, Node CPU per call, event-loop utilisation (ELU: how much of the time Node was busy; a
// line whose Node idles while its throughput is low is waiting on something), p50 latency and
// the redis-server's CPU per call (INFO cpu, the whole process: on a 2-core machine the server
// shares the cores with the client, and this figure does not move with the machine's load).
// Build first (pnpm turbo run build --filter=@mcp-persist/lock...). test-redis is TypeScript:
// run through tsx, from the benchmark's folder, which has it:
//
//   cd examples/store-benchmark
//   node --import tsx ../../packages/lock/bench/lock-loop.mjs [lines] [rounds] [ms] [concurrency]
//   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/lock-prof ../../packages/lock/bench/lock-loop.mjs node-redis 1 20000
//
// lines: comma-separated, of ioredis, node-redis (withLock on each store), redlock,
// redis-semaphore (on ioredis), raw-ioredis, raw-node-redis (withLock's two scripts sent straight
// through the client: what the client alone costs); default the first four. Defaults: 7 rounds of 1000 ms, concurrency 16.
import { createHistogram, performance } from "node:perf_hooks";
import { lockScripts, withLock } from "@mcp-persist/lock";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Mutex } from "redis-semaphore";
import Redlock from "redlock";

const args = process.argv.slice(2);
const lines = (args[0] ?? "ioredis,node-redis,redlock,redis-semaphore").split(",");
const rounds = Number(args[1] ?? 7);
const durationMs = Number(args[2] ?? 1000);
const concurrency = Number(args[3] ?? 16);
const TTL_MS = 10_000;

const redis = await startRedis();
const closers = [];
/** The server's CPU time so far, µs (INFO cpu: user + system, every thread of the process). */
const infoClient = new Redis(redis.url);
closers.push(() => infoClient.quit());
async function redisCpuUs() {
  const info = await infoClient.info("cpu");
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? Number.NaN);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1e6;
}
const resource = (worker) => `loop-${process.pid}-w${worker}`;

/** One line: its call, on its own connection. */
async function open(line) {
  if (line === "ioredis" || line === "node-redis") {
    const client =
      line === "ioredis"
        ? new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true })
        : createClient({ url: redis.url, disableOfflineQueue: true });
    await client.connect();
    const store = line === "ioredis" ? ioredisStore({ client }) : nodeRedisStore({ client });
    closers.push(async () => {
      await store.close();
      await (line === "ioredis" ? client.quit() : client.close());
    });
    return async (i, worker) => {
      const result = await withLock(store, resource(worker), () => i, { ttlMs: TTL_MS, namespace: "loop" });
      if (result.status !== "ran")
        throw new Error(`withLock was ${result.status} on an uncontended resource`);
    };
  }
  if (line === "raw-ioredis" || line === "raw-node-redis") return openRaw(line);
  const client = new Redis(redis.url);
  closers.push(() => client.quit());
  if (line === "redlock") {
    const redlock = new Redlock([client]);
    return (i, worker) => redlock.using([`redlock-${resource(worker)}`], TTL_MS, async () => i);
  }
  if (line === "redis-semaphore") {
    return async (_, worker) => {
      const mutex = new Mutex(client, `semaphore-${resource(worker)}`, { lockTimeout: TTL_MS });
      await mutex.acquire();
      await mutex.release();
    };
  }
  throw new Error(`unknown line ${line}: ioredis, node-redis, redlock or redis-semaphore`);
}

/**
 * The two scripts of one `withLock` (acquire, then release) sent straight through the client, with
 * the same keys and arguments and no store: what the client alone costs.
 */
async function openRaw(line) {
  const { acquire, release } = lockScripts;
  const keys = (worker) => [`raw:lock:{${resource(worker)}}`, `raw:lock:{${resource(worker)}}:fence`];
  if (line === "raw-ioredis") {
    const client = new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    await client.script("LOAD", acquire.lua);
    await client.script("LOAD", release.lua);
    closers.push(() => client.quit());
    return async (i, worker) => {
      const [lock, fence] = keys(worker);
      const token = `t${i}`;
      await client.evalsha(acquire.sha1, 2, lock, fence, token, String(TTL_MS), "604800000");
      await client.evalsha(release.sha1, 1, lock, token);
    };
  }
  const client = createClient({ url: redis.url, disableOfflineQueue: true });
  await client.connect();
  await client.scriptLoad(acquire.lua);
  await client.scriptLoad(release.lua);
  closers.push(() => client.close());
  return async (i, worker) => {
    const [lock, fence] = keys(worker);
    const token = `t${i}`;
    await client.evalSha(acquire.sha1, {
      keys: [lock, fence],
      arguments: [token, String(TTL_MS), "604800000"],
    });
    await client.evalSha(release.sha1, { keys: [lock], arguments: [token] });
  };
}

/** Calls made so far, warm-up included: to turn a profile's totals into per-call figures. */
let callsMade = 0;

/** `concurrency` workers in a closed loop for `ms`. */
async function measure(op, ms) {
  const histogram = createHistogram();
  const redisCpu = await redisCpuUs();
  let ops = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const end = start + ms;
  const worker = async (w) => {
    let before = performance.now();
    while (before < end) {
      await op(next++, w);
      const after = performance.now();
      histogram.record(Math.max(1, Math.round((after - before) * 1e3)));
      ops++;
      before = after;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const redisUsed = (await redisCpuUs()) - redisCpu;
  callsMade += ops;
  return {
    opsPerSec: (ops * 1000) / elapsed,
    cpuUsPerCall: (used.user + used.system) / ops,
    elu: performance.eventLoopUtilization(elu).utilization,
    p50Us: histogram.percentile(50),
    redisUsPerCall: redisUsed / ops,
  };
}

const ops = new Map();
for (const line of lines) ops.set(line, await open(line));
for (const op of ops.values()) await measure(op, Math.min(durationMs, 500)); // warm-up: JIT, script cache
const samples = new Map(lines.map((line) => [line, []]));
for (let round = 0; round < rounds; round++) {
  for (const [line, op] of ops) samples.get(line).push(await measure(op, durationMs));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
for (const [line, taken] of samples) {
  const of = (field) => taken.map((s) => s[field]);
  const [lo, hi] = [Math.min(...of("opsPerSec")), Math.max(...of("opsPerSec"))];
  console.log(
    [
      line.padEnd(16),
      `${Math.round(median(of("opsPerSec")))} ops/s (${Math.round(lo)}–${Math.round(hi)})`,
      `CPU/call ${median(of("cpuUsPerCall")).toFixed(1)} µs`,
      `ELU ${median(of("elu")).toFixed(2)}`,
      `p50 ${median(of("p50Us"))} µs`,
      `Redis CPU/call ${median(of("redisUsPerCall")).toFixed(1)} µs`,
    ].join("  "),
  );
}
console.log(`${callsMade} calls in all, warm-up included`);
for (const close of closers) await close();
await redis.stop();
