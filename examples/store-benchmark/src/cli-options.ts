import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const WORKLOADS = [
  "hit-path",
  "two-tier",
  "tool-calls",
  "stampede",
  "fleet-stampede",
  "coherence",
  "ratelimit",
  "lock",
  "event-store",
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
export const STORES = ["lru", "ioredis", "node-redis"] as const;
export type StoreName = (typeof STORES)[number];

export interface BenchOptions {
  durationMs: number;
  warmupMs: number;
  repetitions: number;
  /**
   * Measured time per line and repetition of the latency view: one call at a time. Groups that
   * run at concurrency 1 anyway take it from their throughput repetitions; 0 skips the others.
   */
  latencyMs: number;
  /** Calls in flight on Redis-backed lines. */
  concurrency: number;
  /** Calls in flight on in-process lines. */
  localConcurrency: number;
  payloadBytes: number;
  workloads: readonly WorkloadName[];
  stores: readonly StoreName[];
  peers: boolean;
  stampedeCalls: number;
  /** Worker processes of the fleet workloads (fleet-stampede, coherence). */
  fleetProcesses: number;
  /** Invalidations per line in the coherence workload. */
  coherenceRounds: number;
  /** Relative error (95%) above which a result is flagged as noisy. */
  noisyRme: number;
  seed: number;
  redisUrl: string | undefined;
  outDir: string;
  quick: boolean;
}

const DEFAULT_OUT_DIR = fileURLToPath(new URL("../results", import.meta.url));

export const HELP = `pnpm bench [options]     (in this package: pnpm --filter @mcp-persist/example-store-benchmark bench)

Measures mcp-persist's cache (and rate limiter, lock and MCP event store, where they have
landed) on store-lru, store-ioredis and store-node-redis, next to raw client baselines, the
guides' hand-written cache and the libraries a user would pick instead, all in one run. Every
comparison is a ratio to another line measured in the same run, repetition by repetition; the
event store, which has no peer, is reported as figures (events/s, Redis bytes per 1,000 events).

Redis: REDIS_URL (or --redis-url) if set; else a redis-server on PATH is started on a free
loopback port and stopped afterwards; else only the in-process store runs, and the output says so.

Options
  --duration <ms>          measured time per line and repetition             (default 800)
  --warmup <ms>            unmeasured run of each line before its first repetition (default 400)
  --repetitions <n>        repetitions per line; lines take turns in each    (default 5)
  --latency-duration <ms>  latency view, per line and repetition: one call at a time (concurrency
                           1); lines already at concurrency 1 reuse their throughput calls;
                           0 skips it                                        (default 400)
  --concurrency <n>        calls in flight on Redis-backed lines             (default 16)
  --local-concurrency <n>  calls in flight on in-process lines; they are CPU-bound, so more
                           in flight only adds queueing to their latency    (default 1)
  --payload <bytes>        size of each cached tool result as JSON           (default 1024)
  --workloads <list>       comma-separated: ${WORKLOADS.slice(0, 4).join(", ")},
                           ${WORKLOADS.slice(4, 8).join(", ")},
                           ${WORKLOADS.slice(8).join(", ")} (default: all)
  --stores <list>          comma-separated: ${STORES.join(", ")} (default: all)
  --no-peers               skip cache-manager, BentoCache, rate-limiter-flexible, redlock,
                           redis-semaphore
  --stampede-calls <n>     concurrent cold calls on one key in the stampede, per process in
                           the fleet stampede                                (default 1000)
  --fleet-processes <n>    worker processes of fleet-stampede and coherence  (default 4)
  --coherence-rounds <n>   invalidations per line in coherence               (default 100; --quick 10)
  --noisy <percent>        flag results whose relative error (95%) exceeds this (default 10)
  --seed <n>               seed of the Zipf call sequence                    (default 1)
  --redis-url <url>        use this Redis instead of REDIS_URL or a started server
  --out-dir <dir>          where the JSON and SVG go                         (default results/)
  --quick                  smoke run in seconds: --duration 100 --warmup 50 --repetitions 3
                           --latency-duration 50 --coherence-rounds 10, one stampede round
                           (explicit options still win); figures are not worth quoting
  -h, --help               this text

Output: a progress display on stderr, tables and a targets section on stdout, and
<out-dir>/bench-<time>.json (every figure) and .svg (the chart), also copied to latest.json
and latest.svg.`;

/** Thrown for a bad command line; main prints the message and the hint to use --help. */
export class UsageError extends Error {}

/** Parses argv; returns undefined when --help was asked for. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | undefined {
  // `pnpm bench -- --quick` forwards the `--` itself.
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    allowNegative: true,
    strict: true,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      repetitions: { type: "string" },
      "latency-duration": { type: "string" },
      concurrency: { type: "string" },
      "local-concurrency": { type: "string" },
      payload: { type: "string" },
      workloads: { type: "string" },
      stores: { type: "string" },
      peers: { type: "boolean", default: true },
      "stampede-calls": { type: "string" },
      "fleet-processes": { type: "string" },
      "coherence-rounds": { type: "string" },
      noisy: { type: "string" },
      seed: { type: "string" },
      "redis-url": { type: "string" },
      "out-dir": { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick;
  // pnpm runs scripts in the package directory; a relative --out-dir means the caller's directory.
  const callerDir = env.INIT_CWD ?? process.cwd();
  const outDir = values["out-dir"];
  return {
    durationMs: integer("duration", values.duration, quick ? 100 : 800, 10),
    warmupMs: integer("warmup", values.warmup, quick ? 50 : 400, 0),
    repetitions: integer("repetitions", values.repetitions, quick ? 3 : 5, 2),
    latencyMs: integer("latency-duration", values["latency-duration"], quick ? 50 : 400, 0),
    concurrency: integer("concurrency", values.concurrency, 16, 1),
    localConcurrency: integer("local-concurrency", values["local-concurrency"], 1, 1),
    payloadBytes: integer("payload", values.payload, 1024, 16),
    workloads: list("workloads", values.workloads, WORKLOADS),
    stores: list("stores", values.stores, STORES),
    peers: values.peers,
    stampedeCalls: integer("stampede-calls", values["stampede-calls"], 1000, 2),
    fleetProcesses: integer("fleet-processes", values["fleet-processes"], 4, 2),
    coherenceRounds: integer("coherence-rounds", values["coherence-rounds"], quick ? 10 : 100, 1),
    noisyRme: integer("noisy", values.noisy, 10, 1) / 100,
    seed: integer("seed", values.seed, 1, 0),
    redisUrl: values["redis-url"] ?? (env.REDIS_URL || undefined),
    outDir: outDir === undefined ? DEFAULT_OUT_DIR : isAbsolute(outDir) ? outDir : resolve(callerDir, outDir),
    quick,
  };
}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} takes a whole number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] {
  if (raw === undefined) return [...allowed];
  const picked = raw
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  for (const item of picked) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`--${name}: unknown "${item}"; choose from ${allowed.join(", ")}`);
    }
  }
  if (picked.length === 0) throw new UsageError(`--${name} needs at least one of ${allowed.join(", ")}`);
  return picked as T[];
}
