// Rate-limit checks on Redis, side by side with rate-limiter-flexible's RateLimiterRedis, against a
// redis-server of its own (test-redis's startRedis, a free loopback port): lines take turns in
// rounds, and each prints its median over the rounds of checks/s, Node CPU per check, the
// redis-server's CPU per check (INFO cpu: the whole process, its network work included) and, from
// INFO commandstats, script calls per check and the server's time inside them per check (the
// Lua and the commands it runs). On a 2-core machine both processes share the cores, so what
// each spends per check bounds the throughput. Build first; test-redis is TypeScript, so run it
// through tsx, from the benchmark's folder, which has it:
//
//   cd examples/store-benchmark
//   node --import tsx ../../packages/ratelimit/bench/redis-loop.mjs [lines] [rounds] [ms] [concurrency]
//
// lines: comma-separated of ioredis, node-redis (createRateLimiter, sliding window, on each store)
// and rlf (RateLimiterRedis on ioredis); default all three. Defaults: 5 rounds of 2000 ms,
// concurrency 16. Callers: 1000, in a fixed scattered order; the limit is never reached.
import { createRateLimiter } from "@mcp-persist/ratelimit";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";
import { redisCpuUs, startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { createClient } from "redis";

const args = process.argv.slice(2);
const lines = (args[0] ?? "ioredis,node-redis,rlf").split(",");
const rounds = Number(args[1] ?? 5);
const durationMs = Number(args[2] ?? 2000);
const concurrency = Number(args[3] ?? 16);
const LIMIT = 2 ** 25 - 1;
const callers = Array.from({ length: 1000 }, (_, i) => `caller-${i}`);

const redis = await startRedis();
const admin = new Redis(redis.url);

/** Opens a line: `check(key)` resolves once the check is decided by Redis. */
async function open(line) {
  if (line === "rlf") {
    const client = new Redis(redis.url);
    const limiter = new RateLimiterRedis({
      storeClient: client,
      points: LIMIT,
      duration: 60,
      keyPrefix: "rlf",
    });
    // Awaited and checked like ours, so both lines do the same work around the call.
    const check = async (key) => {
      const { consumedPoints } = await limiter.consume(key);
      if (!(consumedPoints > 0)) throw new Error("RateLimiterRedis counted no point");
    };
    return { check, close: () => client.quit() };
  }
  const client = line === "ioredis" ? new Redis(redis.url) : createClient({ url: redis.url });
  if (line === "node-redis") await client.connect();
  const store = line === "ioredis" ? ioredisStore({ client }) : nodeRedisStore({ client });
  const limiter = createRateLimiter({
    store,
    limit: LIMIT,
    windowMs: 60_000,
    algorithm: "sliding-window",
    prefix: line,
    storeTimeoutMs: 1000, // every check decided by Redis, even on a loaded machine
  });
  return {
    check: async (key) => {
      const { reason } = await limiter.check(key);
      if (reason !== "ok") throw new Error(`a check was decided without Redis (${reason})`);
    },
    close: async () => {
      await store.close();
      await (line === "ioredis" ? client.quit() : client.close());
    },
  };
}

/** What the server has spent so far: CPU (µs), script calls and µs inside them. */
async function serverSpent() {
  const stats = await admin.info("commandstats");
  const field = (text, pattern) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    cpuUs: await redisCpuUs(admin),
    scripts: field(stats, /^cmdstat_evalsha:calls=(\d+)/m) + field(stats, /^cmdstat_eval:calls=(\d+)/m),
    scriptUs:
      field(stats, /^cmdstat_evalsha:calls=\d+,usec=(\d+)/m) +
      field(stats, /^cmdstat_eval:calls=\d+,usec=(\d+)/m),
  };
}

/** `concurrency` workers in a closed loop for `ms`. */
async function measure(check, ms) {
  await admin.config("RESETSTAT");
  const before = await serverSpent();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let checks = 0;
  const worker = async (w) => {
    for (let i = w * 61; performance.now() < end; i++, checks++) await check(callers[(i * 7919) % 1000]);
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const after = await serverSpent();
  return {
    perSec: (checks * 1000) / elapsed,
    nodeUs: (used.user + used.system) / checks,
    redisUs: (after.cpuUs - before.cpuUs) / checks,
    scripts: (after.scripts - before.scripts) / checks,
    scriptUs: (after.scriptUs - before.scriptUs) / checks,
  };
}

const opened = new Map();
for (const line of lines) opened.set(line, await open(line));
const samples = new Map(lines.map((line) => [line, []]));
try {
  for (const { check } of opened.values()) await measure(check, 300); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Rotated each round, so no line always runs right after another.
    for (let k = 0; k < lines.length; k++) {
      const line = lines[(round + k) % lines.length];
      samples.get(line).push(await measure(opened.get(line).check, durationMs));
    }
  }
} finally {
  for (const { close } of opened.values()) await close();
  await admin.quit();
  await redis.stop();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [line, runs] of samples) {
  const m = (field) => median(runs.map((run) => run[field]));
  console.log(
    `${line.padEnd(11)} ${Math.round(m("perSec")).toString().padStart(7)} checks/s` +
      ` (${Math.round(Math.min(...runs.map((r) => r.perSec)))}–${Math.round(Math.max(...runs.map((r) => r.perSec)))})` +
      `  Node CPU/check ${m("nodeUs").toFixed(2)} µs  Redis CPU/check ${m("redisUs").toFixed(2)} µs` +
      `  scripts/check ${m("scripts").toFixed(2)}  in scripts/check ${m("scriptUs").toFixed(2)} µs`,
  );
}
