import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { createToolPolicies, mcpCaller } from "../src/index";
import { partsOn } from "./support/parts";
import { type AnyServer, sdkLines } from "./support/sdk-lines";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

describe.each(kinds)("resources on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("caches reads per URI, shared, with the cache's own hints on SDK v2", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      let reads = 0;
      const client = await line.connect((server) =>
        policies.registerResource(
          server,
          "docs",
          line.template("docs://pages/{name}"),
          { mimeType: "text/plain", cache: { ttlMs: 60_000 } },
          async (uri) => ({ contents: [{ uri: uri.href, text: `${uri.pathname} (read ${++reads})` }] }),
        ),
      );
      const miss = await client.read("docs://pages/intro");
      const hit = await client.read("docs://pages/intro");
      const other = await client.read("docs://pages/locks");
      expect(miss.contents[0]?.text).toBe("/intro (read 1)");
      expect(hit.contents[0]?.text).toBe("/intro (read 1)");
      expect(other.contents[0]?.text).toBe("/locks (read 2)");
      expect(policies.stats().tools["resource:docs"]).toMatchObject({ hits: 1, misses: 2 });
      if (line.name === "v1") {
        expect(hit).not.toHaveProperty("ttlMs");
        expect(hit).not.toHaveProperty("cacheScope");
      } else {
        expect(miss).toMatchObject({ cacheScope: "public" });
        expect(hit).toMatchObject({ cacheScope: "public" });
        // What is left of the entry's TTL: never more than it was when stored.
        const [stored, served] = [miss.ttlMs, hit.ttlMs] as number[];
        expect(stored).toBeGreaterThan(0);
        expect(stored).toBeLessThanOrEqual(60_000);
        expect(served).toBeLessThanOrEqual(stored as number);
      }
    });

    it("keeps per-caller reads apart, private, and uncached without a caller", async () => {
      const policies = createToolPolicies({ cache: partsOn(kind).cache });
      let reads = 0;
      const register = (server: AnyServer) =>
        policies.registerResource(
          server,
          "inbox",
          "mail://inbox",
          { cache: { ttlMs: 30_000, perCaller: true } },
          async (uri, ctx) => {
            const who = mcpCaller(ctx, { prefer: "client" });
            const name = typeof who === "object" ? who.client : "nobody";
            return { contents: [{ uri: uri.href, text: `inbox of ${name} (read ${++reads})` }] };
          },
        );
      const alice = await line.connect(register, { clientId: "alice" });
      const bob = await line.connect(register, { clientId: "bob" });
      const anonymous = await line.connect(register);
      expect((await alice.read("mail://inbox")).contents[0]?.text).toBe("inbox of alice (read 1)");
      expect((await bob.read("mail://inbox")).contents[0]?.text).toBe("inbox of bob (read 2)");
      const again = await alice.read("mail://inbox");
      expect(again.contents[0]?.text).toBe("inbox of alice (read 1)");
      const nobody = await anonymous.read("mail://inbox");
      expect(nobody.contents[0]?.text).toBe("inbox of nobody (read 3)");
      expect((await anonymous.read("mail://inbox")).contents[0]?.text).toBe("inbox of nobody (read 4)");
      if (line.name === "v2") {
        expect(again).toMatchObject({ cacheScope: "private" });
        // Not cached, so nothing to promise: the SDK's defaults (ttlMs 0, private).
        expect(nobody).toMatchObject({ ttlMs: 0, cacheScope: "private" });
      }
    });
  });

  it("gives a 2025-era client of an SDK v2 server no cache fields", async () => {
    const policies = createToolPolicies({ cache: partsOn(kind).cache });
    const handler = createMcpHandler(() => {
      const server = new McpServer({ name: "policies-test", version: "1.0.0" });
      policies.registerResource(
        server,
        "readme",
        "docs://readme",
        { cache: { ttlMs: 60_000 } },
        async (uri) => ({
          contents: [{ uri: uri.href, text: "read me" }],
        }),
      );
      return server;
    });
    const client = new Client({ name: "legacy-client", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL("http://policies.test/mcp"), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      }),
    );
    try {
      for (let i = 0; i < 2; i++) {
        const read = await client.readResource({ uri: "docs://readme" });
        expect(read).toEqual({ contents: [{ uri: "docs://readme", text: "read me" }] });
      }
      expect(policies.stats().tools["resource:readme"]).toMatchObject({ hits: 1, misses: 1 });
    } finally {
      await client.close();
      await handler.close();
    }
  });
});
