import { InvalidOptionError } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import * as promClient from "prom-client";
import { describe, expect, it } from "vitest";
import { createToolPolicies, registerMcpMetrics } from "../src/index";
import { gate, partsOn, upstream } from "./support/parts";
import { type AnyServer, sdkLines } from "./support/sdk-lines";
import { searchDocs, sendEmail } from "./support/tools";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

describe.each(kinds)("metrics on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("counts hits, misses, denials and busy answers per tool, in prom-client", async () => {
      const { cache, limiter } = partsOn(kind, 2);
      const policies = createToolPolicies({ cache, limiter });
      const registry = new promClient.Registry();
      registerMcpMetrics(policies, { client: promClient, registry });
      const started = gate();
      const finish = gate();
      const calls = upstream();
      const register = (server: AnyServer) => {
        searchDocs(policies, (query) => calls.answer(query))(server);
        sendEmail(policies, async (to) => {
          started.open();
          await finish.opened;
          return calls.answer(to);
        })(server);
      };
      const client = await line.connect(register, { clientId: "alice" });
      await client.call("search_docs", { query: "ttl" });
      await client.call("search_docs", { query: "ttl" });
      const sending = client.call("send_email", { to: "x" });
      await started.opened;
      await client.call("send_email", { to: "x" }); // busy, its unit back
      finish.open();
      await sending;
      await client.call("send_email", { to: "y" }); // the second unit
      await client.call("send_email", { to: "z" }); // denied
      const text = await registry.metrics();
      for (const line of [
        'cache_hits_total{tool="search_docs"} 1',
        'cache_misses_total{tool="search_docs"} 1',
        'mcp_denied_total{tool="search_docs"} 0',
        'mcp_denied_total{tool="send_email"} 1',
        'mcp_busy_total{tool="send_email"} 1',
        'mcp_once_unknown_total{tool="send_email"} 0',
      ]) {
        expect(text).toContain(line);
      }
      expect(policies.stats().total).toMatchObject({ hits: 1, misses: 1, denied: 1, busy: 1, unknown: 0 });
    });
  });
});

describe("registerMcpMetrics", () => {
  it("registers only the policies' own counters when there is no cache, with a prefix", async () => {
    const policies = createToolPolicies({});
    const registry = new promClient.Registry();
    registerMcpMetrics(policies, { client: promClient, registry, prefix: "docs_" });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(["docs_mcp_busy_total", "docs_mcp_denied_total", "docs_mcp_once_unknown_total"]);
  });

  it.each([
    ["without client", {}, "registerMcpMetrics(): client must be the prom-client module"],
    [
      "with a client that is not prom-client",
      { client: {} },
      "registerMcpMetrics(): client must be the prom-client module",
    ],
    [
      "with a prefix that is not a string",
      { client: promClient, prefix: 5 },
      "registerMcpMetrics(): prefix must be a string, got 5",
    ],
  ])("refuses options %s with InvalidOptionError, registering nothing", async (_, options, message) => {
    const policies = createToolPolicies({ cache: partsOn(kinds[0] as (typeof kinds)[number]).cache });
    const registry = new promClient.Registry();
    const register = () => registerMcpMetrics(policies, { registry, ...options } as never);
    expect(register).toThrow(InvalidOptionError);
    expect(register).toThrow(`[@mcp-persist/mcp] ${message}`);
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });

  it("refuses what is not the policies, or options that are not an object", () => {
    const policies = createToolPolicies({});
    expect(() => registerMcpMetrics(policies, null as never)).toThrow(
      "[@mcp-persist/mcp] registerMcpMetrics() takes an options object, got null",
    );
    const attempt = () => registerMcpMetrics({} as never, { client: promClient });
    expect(attempt).toThrow(
      "[@mcp-persist/mcp] registerMcpMetrics() takes the policies from createToolPolicies() first",
    );
  });
});
