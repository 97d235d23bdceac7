import { storeKinds, useRedis, waitFor } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createToolPolicies } from "../src/index";
import { holdable } from "./support/held-store";
import { cacheOn, limiterOn, partsOn, textOf, upstream } from "./support/parts";
import { type AnyServer, sdkLines } from "./support/sdk-lines";
import { searchDocs, sendEmail } from "./support/tools";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

const DENIAL = /^Rate limit exceeded: max 5 send_email calls per minute\. Retry after \d+ s\.$/;

describe.each(kinds)("rate limits on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("denies the call past the limit with its retry-after in _meta, as a CallToolResult", async () => {
      const { store, limiter } = partsOn(kind, 5);
      const policies = createToolPolicies({ limiter, lockStore: store });
      const mail = upstream();
      const register = sendEmail(policies, (to) => mail.answer(`sent to ${to}`));
      const alice = await line.connect(register, { clientId: "alice" });
      for (let i = 1; i <= 5; i++) {
        expect(textOf(await alice.call("send_email", { to: `r${i}` }))).toBe(`sent to r${i} (call ${i})`);
      }
      const denied = await alice.call("send_email", { to: "r6" });
      expect(denied).toMatchObject({
        isError: true,
        _meta: { rule: "perCallerPerTool", limit: 5, windowMs: 60_000 },
      });
      expect(textOf(denied)).toMatch(DENIAL);
      const retryAfterMs = denied._meta?.retryAfterMs;
      expect(typeof retryAfterMs === "number" && retryAfterMs > 0 && retryAfterMs <= 60_000).toBe(true);
      line.parseCallToolResult(denied);
      expect(mail.calls).toBe(5);
      // Another caller has a limit of its own.
      const bob = await line.connect(register, { clientId: "bob" });
      expect(textOf(await bob.call("send_email", { to: "r7" }))).toBe("sent to r7 (call 6)");
      expect(policies.stats().tools.send_email).toMatchObject({ denied: 1 });
    });

    it("charges only calls that run the handler, unless chargeCacheHits", async () => {
      for (const chargeCacheHits of [false, true]) {
        const { cache, limiter } = partsOn(kind, 2);
        const policies = createToolPolicies({ cache, limiter, chargeCacheHits });
        const docs = upstream();
        const client = await line.connect(
          searchDocs(policies, (query) => docs.answer(query), { rateLimit: true }),
          {
            clientId: "alice",
          },
        );
        const results = [];
        for (const query of ["a", "a", "a", "b", "c"])
          results.push(await client.call("search_docs", { query }));
        const outcome = results.map((r) => (r.isError === true ? "denied" : textOf(r)));
        expect(outcome).toEqual(
          chargeCacheHits
            ? ["a (call 1)", "a (call 1)", "denied", "denied", "denied"]
            : ["a (call 1)", "a (call 1)", "a (call 1)", "b (call 2)", "denied"],
        );
      }
    });

    it("never hands a caller that joined another caller's run that caller's denial", async () => {
      const store = kind.open();
      const held = holdable(store);
      const policies = createToolPolicies({
        cache: cacheOn(store),
        limiter: limiterOn(held.store, { perCallerPerTool: { limit: 1, windowMs: 60_000 } }),
      });
      const docs = upstream();
      const register = searchDocs(policies, (query) => docs.answer(query), { rateLimit: true });
      const alice = await line.connect(register, { clientId: "alice" });
      const bob = await line.connect(register, { clientId: "bob" });
      expect(textOf(await alice.call("search_docs", { query: "a" }))).toBe("a (call 1)"); // alice's one unit
      // Alice starts the run for "b"; her check is caught in flight while Bob joins the run.
      held.hold();
      const aliceCall = alice.call("search_docs", { query: "b" });
      await waitFor("alice's check to reach the store", () => held.waiting.count === 1);
      const bobCall = bob.call("search_docs", { query: "b" });
      await waitFor("bob to join alice's run", () => policies.stats().tools.search_docs?.coalesced === 1);
      held.release();
      const [aliceResult, bobResult] = await Promise.all([aliceCall, bobCall]);
      expect(aliceResult).toMatchObject({ isError: true });
      expect(textOf(aliceResult)).toMatch(/^Rate limit exceeded: max 1 search_docs calls per minute/);
      // Bob ran again as himself: his own check, his own unit, the handler.
      expect(textOf(bobResult)).toBe("b (call 2)");
      expect(docs.calls).toBe(2);
      expect(policies.stats().tools.search_docs).toMatchObject({ denied: 1 });
      // ...and his result is the cached one now.
      expect(textOf(await alice.call("search_docs", { query: "b" }))).toBe("b (call 2)");
    });

    it("puts every call without an identity in one shared bucket", async () => {
      const { limiter } = partsOn(kind, 2);
      const policies = createToolPolicies({ limiter });
      const mail = upstream();
      const register = (server: AnyServer) =>
        policies.registerTool(server, "send_email", { rateLimit: true }, () => mail.answer("sent"));
      const first = await line.connect(register);
      const second = await line.connect(register);
      expect(await first.call("send_email")).not.toHaveProperty("isError");
      expect(await second.call("send_email")).not.toHaveProperty("isError");
      expect(await first.call("send_email")).toMatchObject({ isError: true });
      expect(await second.call("send_email")).toMatchObject({ isError: true });
    });
  });
});
