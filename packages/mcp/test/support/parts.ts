import { type Cache, createCache, type Store } from "@mcp-persist/cache-core";
import {
  createToolRateLimiter,
  type ToolRateLimiter,
  type ToolRateLimiterOptions,
} from "@mcp-persist/ratelimit";
import type { StoreKind } from "@mcp-persist/test-kit";
import type { Received } from "./sdk-lines";

/**
 * Deadlines for tests that are not about outages: a store still connecting on a busy machine is
 * waited for, instead of the call going on without it (which would test the outage path).
 */
const PATIENT = { storeTimeoutMs: 10_000 } as const;

/** A cache on a fresh store of this kind (Redis stores get a fresh key prefix each). */
export function cacheOn(store: Store, defaultTtlMs = 60_000): Cache {
  return createCache({ store, defaultTtlMs, ...PATIENT });
}

/** A tool limiter on `store`, with the given rules. */
export function limiterOn(
  store: Store,
  rules: Pick<ToolRateLimiterOptions, "perCallerPerTool" | "perCaller" | "perTool">,
): ToolRateLimiter {
  return createToolRateLimiter({ store, ...PATIENT, ...rules });
}

/** A store, cache and limiter (5 calls per minute per caller per tool) of one kind. */
export function partsOn(kind: StoreKind, limit = 5) {
  const store = kind.open();
  return {
    store,
    cache: cacheOn(store),
    limiter: limiterOn(store, { perCallerPerTool: { limit, windowMs: 60_000 } }),
  };
}

/** The text of a result's first content block. */
export function textOf(result: Received): string | undefined {
  return result.content?.[0]?.text;
}

/** A stand-in upstream: counts its calls, and stamps each result with its call number. */
export function upstream() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async answer(label: string) {
      calls++;
      return { content: [{ type: "text" as const, text: `${label} (call ${calls})` }] };
    },
  };
}

/** A promise the test opens: a handler waits on it while the test arranges other calls. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
