import type { Logger } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolPolicies, type McpPolicyEvent, mcpCaller } from "../src/index";
import { partsOn, textOf, upstream } from "./support/parts";
import { sdkLines } from "./support/sdk-lines";
import { searchDocs } from "./support/tools";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: { obj: Record<string, unknown>; msg?: string }[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    error() {},
    warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
  };
  return { logger, warnings };
}

describe.each(kinds)("caching on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("serves a repeated read-only call from the cache: the handler runs once", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      const docs = upstream();
      const client = await line.connect(
        searchDocs(policies, (query) => docs.answer(query), { cache: { ttlMs: 300_000 } }),
      );
      const first = await client.call("search_docs", { query: "ttl" });
      const second = await client.call("search_docs", { query: "ttl" });
      expect(textOf(first)).toBe("ttl (call 1)");
      expect(textOf(second)).toBe("ttl (call 1)");
      expect(textOf(await client.call("search_docs", { query: "lock" }))).toBe("lock (call 2)");
      expect(docs.calls).toBe(2);
      expect(policies.stats().tools.search_docs).toMatchObject({ hits: 1, misses: 2 });
    });

    it("keeps per-caller results apart, and caches nothing for a caller it cannot identify", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      const metrics = upstream();
      const register = (server: Parameters<Parameters<typeof line.connect>[0]>[0]) =>
        policies.registerTool(
          server,
          "get_metrics",
          { annotations: { readOnlyHint: true }, cache: { perCaller: true } },
          async (ctx) => {
            const who = mcpCaller(ctx, { prefer: "client" });
            return metrics.answer(`metrics of ${typeof who === "object" ? who.client : "nobody"}`);
          },
        );
      const alice = await line.connect(register, { clientId: "alice", sessionId: "s-alice" });
      const bob = await line.connect(register, { clientId: "bob", sessionId: "s-bob" });
      const anonymous = await line.connect(register);
      expect(textOf(await alice.call("get_metrics"))).toBe("metrics of alice (call 1)");
      expect(textOf(await bob.call("get_metrics"))).toBe("metrics of bob (call 2)");
      expect(textOf(await alice.call("get_metrics"))).toBe("metrics of alice (call 1)");
      expect(textOf(await bob.call("get_metrics"))).toBe("metrics of bob (call 2)");
      // Nobody to key it on: a miss is cheap, a leak is not.
      expect(textOf(await anonymous.call("get_metrics"))).toBe("metrics of nobody (call 3)");
      expect(textOf(await anonymous.call("get_metrics"))).toBe("metrics of nobody (call 4)");
      expect(policies.stats().tools.get_metrics).toMatchObject({ hits: 2, misses: 2, bypasses: 2 });
    });

    it("caches only tools that declare cache: read-only annotations allow it, they do not ask for it", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      const calls = upstream();
      const client = await line.connect((server) =>
        policies.registerTool(server, "list_files", { annotations: { readOnlyHint: true } }, () =>
          calls.answer("files"),
        ),
      );
      expect(textOf(await client.call("list_files"))).toBe("files (call 1)");
      expect(textOf(await client.call("list_files"))).toBe("files (call 2)");
      expect(policies.stats().tools.list_files).toMatchObject({ hits: 0, misses: 0 });
    });

    it("refuses to cache a tool that may mutate, loudly, unless forced", async () => {
      const { logger, warnings } = recordingLogger();
      const events: McpPolicyEvent[] = [];
      const policies = createToolPolicies({
        cache: partsOn(kind).cache,
        logger,
        onEvent: (e) => events.push(e),
      });
      const calls = upstream();
      const client = await line.connect((server) => {
        // No annotations: the spec's defaults say it may destroy things.
        policies.registerTool(server, "rename_file", { cache: true }, () => calls.answer("renamed"));
        policies.registerTool(
          server,
          "slow_report",
          { annotations: { readOnlyHint: false }, cache: { force: true } },
          () => calls.answer("report"),
        );
      });
      expect(textOf(await client.call("rename_file"))).toBe("renamed (call 1)");
      expect(textOf(await client.call("rename_file"))).toBe("renamed (call 2)");
      expect(textOf(await client.call("slow_report"))).toBe("report (call 3)");
      expect(textOf(await client.call("slow_report"))).toBe("report (call 3)");
      // Once per tool, however many servers it is registered on (v2 builds one per request).
      expect(warnings.map((w) => w.obj)).toEqual([
        { event: "mcp_cache_refused", tool: "rename_file" },
        { event: "mcp_cache_forced", tool: "slow_report" },
      ]);
      expect(warnings[0]?.msg).toMatch(/declare readOnlyHint: true, or cache: \{ force: true \}/);
      expect(events.filter((e) => e.type.startsWith("cache-"))).toEqual([
        { type: "cache-refused", tool: "rename_file" },
        { type: "cache-forced", tool: "slow_report" },
      ]);
    });

    // The first call fails (an isError result, or a thrown error the SDK turns into one); the
    // next runs the handler again, and only its success is cached.
    it.each([
      [
        "an isError result",
        () => ({ content: [{ type: "text" as const, text: "upstream down" }], isError: true }),
      ],
      [
        "a thrown error",
        () => {
          throw new Error("upstream down");
        },
      ],
    ])("never caches %s", async (_, fail) => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      let calls = 0;
      const client = await line.connect((server) =>
        policies.registerTool(
          server,
          "fetch_page",
          { annotations: { idempotentHint: true, destructiveHint: false }, cache: true },
          async () =>
            ++calls === 1 ? fail() : { content: [{ type: "text", text: `page (call ${calls})` }] },
        ),
      );
      const failed = await client.call("fetch_page");
      expect(failed).toMatchObject({ isError: true });
      expect(textOf(failed)).toMatch(/upstream down/);
      expect(textOf(await client.call("fetch_page"))).toBe("page (call 2)");
      expect(textOf(await client.call("fetch_page"))).toBe("page (call 2)");
      expect(calls).toBe(2);
    });

    it("caches structuredContent with its text, valid against the output schema on a hit", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      const calls = upstream();
      const client = await line.connect((server) =>
        policies.registerTool(
          server,
          "get_weather",
          {
            inputSchema: z.object({ city: z.string() }),
            outputSchema: z.object({ city: z.string(), celsius: z.number(), upstreamCall: z.number().int() }),
            annotations: { readOnlyHint: true },
            cache: true,
          },
          async ({ city }) => {
            const { content } = await calls.answer(city);
            return { content, structuredContent: { city, celsius: 21.5, upstreamCall: calls.calls } };
          },
        ),
      );
      // Listing the tools makes the client validate every result against the output schema.
      await client.listTools();
      const miss = await client.call("get_weather", { city: "Oslo" });
      const hit = await client.call("get_weather", { city: "Oslo" });
      expect(hit.structuredContent).toEqual({ city: "Oslo", celsius: 21.5, upstreamCall: 1 });
      expect(hit.content).toEqual(miss.content);
      expect(calls.calls).toBe(1);
      expect(policies.stats().tools.get_weather).toMatchObject({ hits: 1 });
    });
  });
});
