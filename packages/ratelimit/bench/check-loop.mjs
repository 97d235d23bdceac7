// In-process checks in a plain awaited loop, to profile: createRateLimiter (sliding window, or the
// algorithm given) on lruStore, or createToolRateLimiter with three rules (`tool`), or
// RateLimiterMemory (`rlf`), over 1000 callers. Prints CPU ns per check. Runs on the built
// packages (build them first).
//   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/ratelimit/bench/check-loop.mjs [tool|rlf] [--algorithm gcra]
import { parseArgs } from "node:util";
import { createRateLimiter, createToolRateLimiter } from "@mcp-persist/ratelimit";
import { lruStore } from "@mcp-persist/store-lru";
import { RateLimiterMemory } from "rate-limiter-flexible";

const LIMIT = 2 ** 25 - 1;
const callers = Array.from({ length: 1000 }, (_, i) => `caller-${i}`);
const tools = ["search_docs", "send_email", "fetch_page"];
const rule = { limit: LIMIT, windowMs: 60_000 };
const { values, positionals } = parseArgs({
  options: { algorithm: { type: "string", default: "sliding-window" } },
  allowPositionals: true,
});
const { algorithm } = values;
const tool = positionals[0] === "tool";
const rlf = positionals[0] === "rlf" ? new RateLimiterMemory({ points: LIMIT, duration: 60 }) : undefined;
const limiter = tool
  ? createToolRateLimiter({
      store: lruStore(),
      algorithm,
      perCallerPerTool: rule,
      perCaller: rule,
      perTool: rule,
    })
  : createRateLimiter({ store: lruStore(), algorithm, ...rule });
const check = rlf
  ? (i) => rlf.consume(callers[(i * 7919) % 1000])
  : tool
    ? (i) => limiter.check({ tool: tools[i % 3], caller: { client: callers[(i * 7919) % 1000] } })
    : (i) => limiter.check(callers[(i * 7919) % 1000]);
const N = 5e6;
const t = process.cpuUsage();
for (let i = 0; i < N; i++) await check(i);
const c = process.cpuUsage(t);
console.log((((c.user + c.system) * 1e3) / N).toFixed(0), "ns per check");
