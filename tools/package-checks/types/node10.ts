// Compiled (never run) by `pnpm typecheck` under `moduleResolution: node10`, the resolution of
// older CommonJS projects: every entry point, subpaths included, must resolve to real types. A
// subpath without node10 typings resolves to `any` *silently* — no error, every check off — so
// each import is asserted not to be `any`.
import { createCache } from "@mcp-persist/cache-core";
import { createRedisStore, StoreCommandError } from "@mcp-persist/cache-core/redis";
import { createManualClock, storeConformance } from "@mcp-persist/cache-core/testing";
import { createHealth } from "@mcp-persist/health";
import { toolKey } from "@mcp-persist/keys";
import { withLock } from "@mcp-persist/lock";
import { createToolPolicies } from "@mcp-persist/mcp";
import { createToolRateLimiter } from "@mcp-persist/ratelimit";
import { createShutdown } from "@mcp-persist/shutdown";
import { ioredisStore } from "@mcp-persist/store-ioredis";
import { lruStore } from "@mcp-persist/store-lru";
import { nodeRedisStore } from "@mcp-persist/store-node-redis";

type IsAny<T> = 0 extends 1 & T ? true : false;
/** Compiles only when no argument's type is `any`. */
function notAny<T extends readonly unknown[]>(
  ..._values: { [K in keyof T]: IsAny<T[K]> extends true ? never : T[K] }
): void {}

notAny(createCache, createRedisStore, StoreCommandError, createManualClock, storeConformance);
notAny(createHealth, toolKey, withLock, createToolRateLimiter, createShutdown);
notAny(ioredisStore, lruStore, nodeRedisStore, createToolPolicies);
// A store built on the shared Redis parts keeps its types: its options are checked, not `any`.
// @ts-expect-error `connection` must be a string or ioredis options
ioredisStore({ connection: 42 });
// @ts-expect-error `connection` must be a URL string or node-redis options
nodeRedisStore({ connection: 42 });
