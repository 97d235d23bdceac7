import { ioredisStore } from "@mcp-persist/store-ioredis";
import { startRedis } from "@mcp-persist/test-redis";
import { Redis } from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { afterAll, bench, describe } from "vitest";
import { type AlgorithmName, createRateLimiter } from "../src/index";

// One Redis, one ioredis client shared by every contender, the same callers and limits, the
// same concurrency: one iteration is 50 checks in flight at once, over 10,000 callers allowed
// 100 calls a minute each (so nearly every check is allowed: the common path).
const CONCURRENCY = 50;
const CALLERS = 10_000;
const LIMIT = 100;
const WINDOW_MS = 60_000;
const BASELINE = "rate-limiter-flexible RateLimiterRedis (fixed window)";
const options = { time: 3000, warmupTime: 500 };

const server = await startRedis();
const client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
await new Promise((resolve) => client.once("ready", resolve));
const store = ioredisStore({ client, timeoutMs: 10_000 });

interface Run {
  checks: number;
  /** Checks the store did not decide (deadline passed): must be 0 for the figures to mean anything. */
  undecided: number;
  ms: number;
  /** From INFO commandstats: EVALSHA/EVAL calls (one round trip each: nothing else is sent), and every command run. */
  stats: Promise<{ scripts: number; commands: number }>;
}
const runs = new Map<string, Run>();
let current = { checks: 0, undecided: 0, started: 0 };
let next = 0;

async function commandStats(): Promise<{ scripts: number; commands: number }> {
  const info = await client.info("commandstats");
  let scripts = 0;
  let commands = 0;
  for (const [, name = "", calls] of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    if (name === "info" || name.startsWith("config")) continue;
    commands += Number(calls);
    if (name === "evalsha" || name === "eval") scripts += Number(calls);
  }
  return { scripts, commands };
}

function contender(name: string, check: (key: string) => Promise<boolean>) {
  bench(
    name,
    async () => {
      const decided = await Promise.all(
        Array.from({ length: CONCURRENCY }, () => check(`caller-${next++ % CALLERS}`)),
      );
      current.checks += CONCURRENCY;
      current.undecided += decided.filter((ok) => !ok).length;
    },
    {
      ...options,
      async setup(_task, mode) {
        if (mode !== "run") return;
        await client.call("CONFIG", "RESETSTAT");
        current = { checks: 0, undecided: 0, started: performance.now() };
      },
      // tinybench does not await teardown: INFO is sent at once, ahead of the next task's commands.
      teardown(_task, mode) {
        if (mode !== "run") return;
        runs.set(name, { ...current, ms: performance.now() - current.started, stats: commandStats() });
      },
    },
  );
}

describe(`rate limit checks on one ioredis client, concurrency ${CONCURRENCY} (one iteration = ${CONCURRENCY} checks)`, () => {
  for (const algorithm of ["sliding-log", "sliding-window", "gcra"] as AlgorithmName[]) {
    // A deadline far above any round trip: every check here is decided by Redis, never degraded.
    const limiter = createRateLimiter({
      store,
      algorithm,
      limit: LIMIT,
      windowMs: WINDOW_MS,
      prefix: `bench-${algorithm}`,
      storeTimeoutMs: 10_000,
    });
    contender(`@mcp-persist/ratelimit ${algorithm}`, async (key) => {
      const result = await limiter.check(key);
      return result.reason === "ok" || result.reason === "limited";
    });
  }
  const flexible = new RateLimiterRedis({
    storeClient: client,
    points: LIMIT,
    duration: WINDOW_MS / 1000,
    keyPrefix: "bench-rlf",
  });
  // consume() rejects with a RateLimiterRes when the limit is reached: a decision too.
  contender(BASELINE, (key) =>
    flexible.consume(key).then(
      () => true,
      (reason: unknown) => !(reason instanceof Error),
    ),
  );
});

afterAll(async () => {
  const rate = (run: Run) => (run.checks / run.ms) * 1000;
  const baseline = runs.get(BASELINE);
  const lines = [
    "contender | checks/s | round trips/check | Redis commands/check | vs rate-limiter-flexible | undecided",
  ];
  for (const [name, run] of runs) {
    const { scripts, commands } = await run.stats;
    const ratio = baseline === undefined ? "-" : `${(rate(run) / rate(baseline)).toFixed(2)}×`;
    lines.push(
      `${name} | ${Math.round(rate(run))} | ${(scripts / run.checks).toFixed(2)} | ${(commands / run.checks).toFixed(2)} | ${ratio} | ${run.undecided}`,
    );
  }
  console.info(`\n${lines.join("\n")}`);
  await store.close();
  await client.quit();
  await server.stop();
});
