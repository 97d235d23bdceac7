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
// lines: comma-separated, of bench-lines.mjs's: ioredis, node-redis (withLock on each store), redlock,
// redis-semaphore (on ioredis), raw-ioredis, raw-node-redis (withLock's two scripts sent straight
// through the client: what the client alone costs); default the first four. Defaults: 7 rounds of 1000 ms, concurrency 16.
import { createHistogram, performance } from "node:perf_hooks";
import { redisCpuUs, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { openLine } from "./bench-lines.mjs";

const args = process.argv.slice(2);
const lines = (args[0] ?? "ioredis,node-redis,redlock,redis-semaphore").split(",");
const rounds = Number(args[1] ?? 7);
const durationMs = Number(args[2] ?? 1000);
const concurrency = Number(args[3] ?? 16);

const redis = await startRedis();
const infoClient = new Redis(redis.url);

/** Calls made so far, warm-up included: to turn a profile's totals into per-call figures. */
let callsMade = 0;

/** `concurrency` workers in a closed loop for `ms`. */
async function measure(op, ms) {
  const histogram = createHistogram();
  const redisCpu = await redisCpuUs(infoClient);
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
  const redisUsed = (await redisCpuUs(infoClient)) - redisCpu;
  callsMade += ops;
  return {
    opsPerSec: (ops * 1000) / elapsed,
    cpuUsPerCall: (used.user + used.system) / ops,
    elu: performance.eventLoopUtilization(elu).utilization,
    p50Us: histogram.percentile(50),
    redisUsPerCall: redisUsed / ops,
  };
}

const opened = new Map();
for (const line of lines) opened.set(line, await openLine(line, redis.url, "loop"));
const ops = new Map([...opened].map(([line, { op }]) => [line, op]));
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
for (const { close } of opened.values()) await close();
await infoClient.quit();
await redis.stop();
