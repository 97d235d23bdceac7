import type { Store } from "@mcp-persist/cache-core";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { StoreName } from "../cli-options";
import type { BenchContext } from "../context";
import { UNIVERSE } from "../fixtures";
import type { Group, Subject, Unavailable } from "../plan";
import { hitPathSequence } from "../zipf";
import { optionalImport } from "./optional-import";

/**
 * Large enough that no caller reaches it during the run: every check is allowed, on every line.
 * A reachable limit would deny more calls on a faster line (denials are time-based), and the
 * lines would no longer do the same work. The largest limit ours takes (2^25 - 1): at a million
 * checks a second, the most frequent caller (~13% of the Zipf calls) passed 1,000,000 in a run.
 */
const LIMIT = 2 ** 25 - 1;
const WINDOW_MS = 60_000;
/**
 * Our limiter's deadline for Redis, raised from its 100 ms default: on a loaded machine a check
 * can take longer, and the limiter would then answer without Redis for a while (fail open), which
 * costs nothing and would inflate the figure. Every check must be decided by the store.
 */
const STORE_TIMEOUT_MS = 1000;

/**
 * Checks a limit per caller, callers Zipf-distributed: ours (sliding window: two counters, O(1),
 * the closest in cost to rate-limiter-flexible's fixed window) against rate-limiter-flexible's
 * `consume`, in process and on Redis.
 */
export async function ratelimitGroups(ctx: BenchContext, unavailable: Unavailable[]): Promise<Group[]> {
  const ratelimit = await optionalImport(() => import("@mcp-persist/ratelimit"), "createRateLimiter");
  if (typeof ratelimit === "string") {
    unavailable.push({
      workload: "ratelimit",
      what: "rate limiting (@mcp-persist/ratelimit)",
      reason: ratelimit,
    });
    return [];
  }
  const sequence = hitPathSequence(UNIVERSE, 100_000, ctx.options.seed).ranks;
  const callers = Array.from({ length: UNIVERSE }, (_, rank) => `caller-${rank}`);
  const caller = (i: number): string => callers[sequence[i % sequence.length] as number] as string;
  const prefix = `${ctx.runId}-ratelimit`;

  const ours = (store: Store, name: StoreName): Subject => {
    const limiter = ratelimit.createRateLimiter({
      store,
      limit: LIMIT,
      windowMs: WINDOW_MS,
      algorithm: "sliding-window",
      prefix: `${prefix}-${name}`,
      storeTimeoutMs: STORE_TIMEOUT_MS,
    });
    return {
      id: `ratelimit/${name}/ours`,
      label: `check · store-${name}`,
      role: "ours",
      library: `@mcp-persist/ratelimit (sliding-window) + store-${name}`,
      store: name,
      onRedis: name !== "lru",
      op: async (i) => {
        const { reason } = await limiter.check(caller(i));
        if (reason !== "ok") {
          throw new Error(`a check was decided without the store (reason "${reason}"): not measurable`);
        }
      },
    };
  };
  // Written like ours: awaited, and its result read and checked (consume resolves only when
  // allowed, with the points it counted), so both lines do the same work around the call.
  const peer = (label: string, library: string, onRedis: boolean, limiter: Consumer): Subject => ({
    id: `ratelimit/peer/${onRedis ? "redis" : "memory"}`,
    label,
    role: "peer",
    library,
    onRedis,
    op: async (i) => {
      const { consumedPoints } = await limiter.consume(caller(i));
      if (!(consumedPoints > 0)) {
        throw new Error(
          `rate-limiter-flexible counted no point (consumedPoints ${consumedPoints}): not measurable`,
        );
      }
    },
  });
  const note =
    `Every check allowed (limit ${LIMIT} per ${WINDOW_MS / 1000} s, never reached), callers Zipf over ${UNIVERSE}. ` +
    "rate-limiter-flexible counts a fixed window; ours a sliding window (two counters). Trips/call below 1 " +
    "means concurrent checks shared a script call; the JSON's lua: counts show the work per check inside Redis.";

  const rule = { points: LIMIT, duration: WINDOW_MS / 1000, keyPrefix: prefix };
  const groups: Group[] = [];
  const lru = ctx.stores.get("lru");
  if (lru !== undefined) {
    const subjects = [ours(lru(), "lru")];
    if (ctx.options.peers) {
      subjects.push(
        peer(
          "RateLimiterMemory consume",
          "rate-limiter-flexible (memory)",
          false,
          new RateLimiterMemory(rule),
        ),
      );
    }
    groups.push(
      group("ratelimit/lru", "Rate limit checks · in process", ctx.options.localConcurrency, subjects, note),
    );
  }
  const subjects = [...ctx.stores]
    .filter(([name]) => name !== "lru")
    .map(([name, make]) => ours(make(), name));
  const redis = ctx.redis;
  if (redis !== undefined && ctx.options.peers) {
    const limiter = new RateLimiterRedis({ ...rule, storeClient: redis.clients.ioredis });
    subjects.push(
      peer("RateLimiterRedis consume", "rate-limiter-flexible (ioredis, same client)", true, limiter),
    );
  }
  if (subjects.length > 0) {
    groups.push(
      group("ratelimit/redis", "Rate limit checks · Redis", ctx.options.concurrency, subjects, note),
    );
  }
  return groups;
}

/** What both rate-limiter-flexible limiters offer: `consume` resolves when allowed, with the points counted. */
interface Consumer {
  consume(key: string): Promise<{ consumedPoints: number }>;
}

function group(id: string, title: string, concurrency: number, subjects: Subject[], note: string): Group {
  return {
    id,
    workload: "ratelimit",
    title,
    note,
    concurrency,
    subjects,
    compareWith: subjects.filter((s) => s.role === "peer").map((s) => s.id),
    fill: [],
    start: 0,
  };
}
