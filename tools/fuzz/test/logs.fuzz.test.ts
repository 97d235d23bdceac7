import { createCache, type Logger, type Store } from "@mcp-persist/cache-core";
import { faultyStore } from "@mcp-persist/cache-core/testing";
import { once, withLock } from "@mcp-persist/lock";
import { createToolPolicies } from "@mcp-persist/mcp";
import { createRateLimiter, createToolRateLimiter } from "@mcp-persist/ratelimit";
import { lruStore } from "@mcp-persist/store-lru";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { captureLogger } from "./support/capture-logger";
import { reportInputs, runs, tried1 } from "./support/runs";

reportInputs("logs");

// Every capability driven with a logger that records everything, at every level, on stores that
// fail in each way (so warnings are logged), with arguments, callers, keys and resources that
// carry unique markers. No record may hold a marker: logs carry tools, events, errors and key
// hashes, never what a caller sent.

const marker = fc.stringMatching(/^[a-z]{10}$/).map((tail) => `SECRET${tail}`);
/** Three markers per input: an argument value, an argument name, and a caller. */
const secrets = fc.tuple(marker, marker, marker);
const fault = fc.constantFrom("reject" as const, "throw" as const, "hang" as const);

/**
 * Argument shapes that reach every path: plain, unkeyable (a function, a cycle, too deep), too
 * large. The member names on the way to what cannot be keyed are secrets too: a `KeyError`'s
 * message and `path` name them, so the warning must not carry it.
 */
function argsWith(value: string, key: string): unknown[] {
  const cyclic: Record<string, unknown> = { q: value };
  cyclic[key] = cyclic;
  let deep: unknown = value;
  for (let i = 0; i < 5000; i++) deep = { [key]: deep };
  return [
    { q: value, [key]: 1 },
    { q: value, [key]: () => value },
    cyclic,
    { q: value.repeat(200), [key]: value },
    [value, new Map([[key, value]])],
    deep,
    { [key]: [1, Symbol(value)] },
  ];
}

interface Secrets {
  /** An argument value (and the resource or key built from it). */
  value: string;
  /** An argument member name. */
  key: string;
  /** A caller. */
  who: string;
}

/**
 * One property: `drive` runs a capability with a recording logger on a store failing in the
 * drawn way (and whatever else it opens itself), then no record may hold any of the secrets.
 */
function noSecretLogged(
  numRuns: number,
  drive: (secrets: Secrets, store: Store, logger: Logger) => Promise<void>,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(secrets, fault, async ([value, key, who], kind) => {
      tried1();
      const { logger, text } = captureLogger();
      const inner = lruStore({ max: 100, maxStateKeys: 100 });
      try {
        await drive({ value, key, who }, faultyStore(inner, kind), logger);
        const logged = text();
        for (const secret of [value, key, who]) {
          expect(logged.includes(secret), `a log record holds "${secret}":\n${logged.slice(0, 3000)}`).toBe(
            false,
          );
        }
      } finally {
        await inner.close();
      }
    }),
    runs(numRuns),
  );
}

describe("a capturing logger never sees raw arguments, callers, keys or resources", () => {
  it("cache: failing, hanging and healthy stores, unkeyable and oversized arguments", async () => {
    await noSecretLogged(60, async ({ value, key, who }, store, logger) => {
      const healthy = lruStore({ max: 100, maxStateKeys: 100 });
      for (const s of [store, healthy]) {
        const cache = createCache({
          store: s,
          defaultTtlMs: 60_000,
          storeTimeoutMs: 20,
          logger,
          maxArgsLength: 500,
          onEvent: () => {},
        });
        for (const args of argsWith(value, key)) {
          for (const caller of [who, { user: who, tenant: value }, undefined]) {
            await cache.wrap({ tool: "search", args, caller }, () => ({
              content: [{ type: "text", text: "ok" }],
            }));
          }
        }
        await cache.wrap(`${value}:${key}`, () => "ok", { tool: "search" });
        await cache.invalidateCaller(who).catch(() => {});
        await cache.delete(`${value}`).catch(() => {});
        const upstreamDown = () => Promise.reject(new Error("upstream down"));
        await cache.warm([{ key: { tool: "search", args: { q: value } }, fn: upstreamDown }]);
      }
      await healthy.close();
    });
  });

  it("rate limits: outages, fallback failures, refunds and key limiters", async () => {
    await noSecretLogged(60, async ({ value, key, who }, store, logger) => {
      const fallbackInner = lruStore({ max: 100, maxStateKeys: 100 });
      const rule = { limit: 5, windowMs: 60_000 };
      const outage = { storeTimeoutMs: 20, probeIntervalMs: 1, logger };
      const fallbackStore = faultyStore(fallbackInner, "reject");
      const limiter = createToolRateLimiter({
        store,
        fallbackStore,
        ...outage,
        perCallerPerTool: rule,
        perTool: rule,
      });
      const single = createRateLimiter({ store, ...outage, ...rule });
      for (const caller of [who, { user: who, session: value }]) {
        const result = await limiter.check({ tool: "send", caller });
        await limiter.refund(result);
        await limiter.check({ tool: key, caller }).catch(() => {});
      }
      await single.check(`${value}:${who}`);
      await fallbackInner.close();
    });
  });

  it("locks: outages with either policy, on withLock and once", async () => {
    await noSecretLogged(40, async ({ value, key, who }, store, logger) => {
      for (const onStoreDown of ["proceed", "refuse"] as const) {
        const options = { logger, onStoreDown, storeTimeoutMs: 20, ttlMs: 60 };
        await withLock(store, `email:${value}`, async () => "sent", options).catch(() => {});
        await once(store, `welcome:${who}:${key}`, async () => ({ to: value }), options).catch(() => {});
      }
      // A healthy store whose result the codec refuses: once logs that it cannot record it.
      await once(lruStore(), `welcome:${who}`, async () => () => value, { logger });
    });
  });

  it("mcp: a server's policies on failing stores, callers from the request", async () => {
    await noSecretLogged(40, async ({ value, key, who }, store, logger) => {
      const rules = { perCallerPerTool: { limit: 5, windowMs: 60_000 } };
      const policies = createToolPolicies({
        cache: createCache({ store, defaultTtlMs: 60_000, storeTimeoutMs: 20, logger }),
        limiter: createToolRateLimiter({ store, storeTimeoutMs: 20, logger, ...rules }),
        logger,
        onEvent: () => {
          throw new Error("hook failed"); // logged by the policies
        },
      });
      const server = new McpServer({ name: "logs", version: "1.0.0" });
      const inputSchema = { to: z.string(), extra: z.record(z.string(), z.unknown()).optional() };
      const guard = { storeTimeoutMs: 20, logger };
      const tools = [
        policies.registerTool(
          server,
          "search",
          { inputSchema, annotations: { readOnlyHint: true }, cache: { perCaller: true }, rateLimit: true },
          async ({ to }) => ({ content: [{ type: "text", text: `found ${to.length}` }] }),
        ),
        policies.registerTool(
          server,
          "send",
          {
            inputSchema,
            rateLimit: true,
            lock: { resource: ({ to }) => `email:${to}`, onStoreDown: "proceed", ...guard },
          },
          async () => ({ content: [{ type: "text", text: "sent" }] }),
        ),
        policies.registerTool(
          server,
          "welcome",
          { inputSchema, once: { key: ({ to }) => `welcome:${to}`, ...guard } },
          async () => ({ content: [{ type: "text", text: "welcomed" }] }),
        ),
      ];
      const authInfo = { token: "t", clientId: who, scopes: [] };
      const context = { signal: new AbortController().signal, requestId: 1, sessionId: value, authInfo };
      for (const tool of tools) {
        const handler = tool.handler as (args: unknown, ctx: unknown) => Promise<unknown>;
        await handler({ to: value, extra: { [key]: value } }, context).catch(() => {});
      }
    });
  });
});
