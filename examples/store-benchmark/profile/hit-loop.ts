// Profiles the in-process cache lines as the benchmark runs them, without its harness:
// `cache.wrap({ tool, args }, fn)` on store-lru, or the guides' hand-written lru-cache path, over
// the benchmark's calls: `hit-path` (Zipf, every call a hit), `tool-calls` (Zipf, ~90% hits), or
// `misses` (every call with arguments never seen before: key derivation, tool, encode, store).
//
//   node --cpu-prof --cpu-prof-dir=/tmp/hit-prof --import tsx profile/hit-loop.ts \
//     [ours|guides] [calls] [hit-path|tool-calls|misses]
//
// Prints ns of CPU per call (process.cpuUsage) and wall time per call.
import { createCache } from "@mcp-persist/cache-core";
import { lruStore } from "@mcp-persist/store-lru";
import { LRUCache } from "lru-cache";
import { type Calls, hitPathCalls, toolCalls } from "../src/calls";
import { callData } from "../src/context";
import { guideKey, onDay, TOOL, type ToolArgs, UNIVERSE } from "../src/fixtures";
import { MISS_RATE } from "../src/workloads/tool-calls";
import { hitPathSequence, toolCallSequence } from "../src/zipf";

const line = process.argv[2] ?? "ours";
const total = Number(process.argv[3] ?? 2_000_000);
const data = callData(1024);
const workload = process.argv[4] ?? "hit-path";
/** Every call a new "day" of an argument set: nothing is ever read twice. */
const misses: Calls = {
  args: (i) => onDay(data.args[i % UNIVERSE] as ToolArgs, i),
  key: (i) => `${data.keys[i % UNIVERSE]}:${i}`,
  result: (i) => data.results[i % UNIVERSE],
  fill: [],
  start: 0,
};
const calls =
  workload === "hit-path"
    ? hitPathCalls(data, hitPathSequence(UNIVERSE, 100_000, 1))
    : workload === "tool-calls"
      ? toolCalls(data, toolCallSequence(UNIVERSE, MISS_RATE, 1), 1)
      : misses;
// The benchmark's TTLs: nothing expires during a run.
const ttlMs = workload === "hit-path" ? 3_600_000 : 10_000;

let op: (i: number) => unknown;
if (line === "ours") {
  const cache = createCache({ store: lruStore({ max: 10_000 }), namespace: "p", defaultTtlMs: ttlMs });
  op = (i) => cache.wrap({ tool: TOOL, args: calls.args(i) }, () => calls.result(i));
} else {
  const lru = new LRUCache<string, string>({ max: 10_000, ttl: ttlMs, updateAgeOnGet: false });
  op = async (i) => {
    const key = guideKey(TOOL, calls.args(i));
    const cached = lru.get(key);
    if (typeof cached === "string") return JSON.parse(cached);
    const result = calls.result(i);
    lru.set(key, JSON.stringify(result), { ttl: ttlMs });
    return result;
  };
}
for (const i of calls.fill) await op(i);
let i = calls.start;
// Warm-up, then the measured loop: one call at a time, as at --local-concurrency 1.
for (const end = i + 200_000; i < end; ) await op(i++);
const cpu = process.cpuUsage();
const start = performance.now();
for (const end = i + total; i < end; ) await op(i++);
const wall = performance.now() - start;
const used = process.cpuUsage(cpu);
console.log(
  `${workload} ${line}: ${((wall * 1e6) / total).toFixed(0)} ns wall, ${(((used.user + used.system) * 1e3) / total).toFixed(0)} ns CPU per call, ${((total / wall) * 1000).toFixed(0)} calls/s`,
);
