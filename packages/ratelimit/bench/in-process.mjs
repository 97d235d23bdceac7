// In-process rate-limit checks, side by side with rate-limiter-flexible's RateLimiterMemory:
// throughput, CPU time per check (process.cpuUsage) and p50/p99 per call, in interleaved rounds.
// Runs on the built packages (`pnpm --filter @mcp-persist/ratelimit... build` first).
//
//   node packages/ratelimit/bench/in-process.mjs [--concurrency 32] [--rounds 5] [--ms 1000] [--lines plain,tool,rlf]
//                                               [--callers 1000] [--spread zipf|cycle]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/ratelimit/bench/in-process.mjs --lines tool --rounds 1 --ms 3000
//
// Callers are Zipf-distributed (s = 1) over 1000, as in the store benchmark, or (`--spread cycle`)
// taken each in turn, the case where no caller is hot: with `--callers 20000`, more keys than a
// limiter remembers (REMEMBERED_KEYS in src/key-memo.ts). Limits are never reached, so every check
// is allowed (the common path) and every line does the same work.
import { createHistogram } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createRateLimiter, createToolRateLimiter } from "@mcp-persist/ratelimit";
import { lruStore } from "@mcp-persist/store-lru";
import { RateLimiterMemory } from "rate-limiter-flexible";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "32" },
    rounds: { type: "string", default: "5" },
    ms: { type: "string", default: "1000" },
    lines: { type: "string", default: "plain,tool,rlf" },
    algorithm: { type: "string", default: "sliding-window" },
    callers: { type: "string", default: "1000" },
    spread: { type: "string", default: "zipf" },
  },
});
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const MS = Number(values.ms);
const LIMIT = 2 ** 25 - 1; // MAX_LIMIT: never reached in a run
const WINDOW_MS = 60_000;

// mulberry32 + a Zipf sampler, as in examples/store-benchmark/src/zipf.ts
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const CALLERS = Number(values.callers);
const cdf = [];
let sum = 0;
for (let rank = 0; rank < CALLERS; rank++) cdf.push((sum += 1 / (rank + 1)));
const sequence =
  values.spread === "cycle"
    ? Array.from({ length: Math.max(100_000, CALLERS) }, (_, i) => (i * 7919) % CALLERS)
    : Array.from({ length: 100_000 }, () => {
        const u = random() * sum;
        return cdf.findIndex((c) => c >= u);
      });
const callers = Array.from({ length: CALLERS }, (_, rank) => `caller-${rank}`);
const caller = (i) => callers[sequence[i % sequence.length]];
const TOOLS = ["search_docs", "send_email", "fetch_page"];

const algorithm = values.algorithm;
const lines = {
  plain() {
    const limiter = createRateLimiter({ store: lruStore(), algorithm, limit: LIMIT, windowMs: WINDOW_MS });
    return async (i) => {
      if ((await limiter.check(caller(i))).reason !== "ok") throw new Error("not decided by the store");
    };
  },
  tool() {
    const rule = { limit: LIMIT, windowMs: WINDOW_MS };
    const limiter = createToolRateLimiter({
      store: lruStore(),
      algorithm,
      perCallerPerTool: rule,
      perCaller: rule,
      perTool: rule,
    });
    return async (i) => {
      const call = { tool: TOOLS[i % 3], caller: { client: caller(i) } };
      if ((await limiter.check(call)).reason !== "ok") throw new Error("not decided by the store");
    };
  },
  rlf() {
    const limiter = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 });
    return (i) => limiter.consume(caller(i));
  },
};

async function measure(op, cursor) {
  const histogram = createHistogram();
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + MS;
  let lastBreath = start;
  let breath;
  const worker = async () => {
    let before = performance.now();
    while (before < end) {
      await op(cursor.i++);
      const after = performance.now();
      histogram.record(Math.max(1, Math.round((after - before) * 1e6)));
      ops++;
      // Let the event loop turn now and then, as the store benchmark does.
      if (breath === undefined && after - lastBreath >= 10) {
        lastBreath = after;
        breath = new Promise((resolve) => setImmediate(resolve)).then(() => (breath = undefined));
      }
      before = breath === undefined ? after : await breath.then(() => performance.now());
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    opsPerSec: (ops * 1000) / elapsed,
    cpuUsPerOp: (used.user + used.system) / ops,
    p50us: histogram.percentile(50) / 1000,
    p99us: histogram.percentile(99) / 1000,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = values.lines.split(",");
const ops = Object.fromEntries(names.map((name) => [name, lines[name]()]));
const cursors = Object.fromEntries(names.map((name) => [name, { i: 0 }]));
for (const name of names) await measure(ops[name], cursors[name]); // warm-up
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, k) => names[(k + round) % names.length]);
  for (const name of order) samples[name].push(await measure(ops[name], cursors[name]));
}
console.log(
  `concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${MS} ms, ${algorithm}, ${CALLERS} callers (${values.spread})`,
);
for (const name of names) {
  const s = samples[name];
  const rate = s.map((x) => x.opsPerSec);
  console.log(
    `${name.padEnd(6)} ${Math.round(median(rate)).toString().padStart(8)}/s [${Math.round(Math.min(...rate))}–${Math.round(Math.max(...rate))}]` +
      `  cpu ${median(s.map((x) => x.cpuUsPerOp)).toFixed(2)} µs/check` +
      `  p50 ${median(s.map((x) => x.p50us)).toFixed(2)} µs  p99 ${median(s.map((x) => x.p99us)).toFixed(2)} µs`,
  );
}
if (samples.rlf !== undefined) {
  for (const name of names.filter((n) => n !== "rlf")) {
    const ratios = samples[name].map((x, r) => x.opsPerSec / samples.rlf[r].opsPerSec);
    const cpu = samples[name].map((x, r) => samples.rlf[r].cpuUsPerOp / x.cpuUsPerOp);
    console.log(
      `${name} ÷ rlf: throughput ${median(ratios).toFixed(2)}× [${ratios.map((r) => r.toFixed(2)).join(", ")}]` +
        `  cpu ${median(cpu).toFixed(2)}×`,
    );
  }
}
