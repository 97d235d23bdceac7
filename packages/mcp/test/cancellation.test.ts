import { storeKinds, useRedis, waitFor } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { createToolPolicies, type McpPolicyEvent } from "../src/index";
import { holdable } from "./support/held-store";
import { cacheOn, gate, limiterOn, textOf, upstream } from "./support/parts";
import { sdkLines } from "./support/sdk-lines";
import { searchDocs, sendEmail } from "./support/tools";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

describe.each(kinds)("cancellation on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("stops a cancelled request's wait for the lock, and gives its unit back", async () => {
      const held = holdable(kind.open());
      const events: McpPolicyEvent[] = [];
      const policies = createToolPolicies({
        limiter: limiterOn(kind.open(), { perCallerPerTool: { limit: 5, windowMs: 60_000 } }),
        lockStore: held.store,
        onEvent: (event) => events.push(event),
      });
      const started = gate();
      const finish = gate();
      const mail = upstream();
      const send = async (to: string) => {
        started.open();
        await finish.opened;
        return mail.answer(`sent to ${to}`);
      };
      const waitLong = { waitMs: 60_000, retryBaseMs: 5, retryMaxMs: 20 };
      const client = await line.connect(sendEmail(policies, send, waitLong), { clientId: "alice" });
      const first = client.call("send_email", { to: "x" });
      await started.opened;
      const controller = new AbortController();
      const runsBefore = held.runs.count;
      const second = client.call("send_email", { to: "x" }, { signal: controller.signal });
      second.catch(() => {});
      await waitFor("the second call to retry the busy lock", () => held.runs.count >= runsBefore + 3);
      controller.abort(new Error("the user gave up"));
      await expect(second).rejects.toThrow();
      // The server stopped waiting while the lock is still held, and handed the unit back.
      await waitFor("the server to drop the cancelled call", () =>
        events.some((e) => e.type === "cancelled"),
      );
      expect(events).toContainEqual({ type: "refund", tool: "send_email", returned: true });
      finish.open();
      expect(textOf(await first)).toBe("sent to x (call 1)");
      expect(mail.calls).toBe(1);
    });

    it("lets a cancelled caller leave a shared run without cancelling it for the others", async () => {
      const events: McpPolicyEvent[] = [];
      const observed = createToolPolicies({ cache: cacheOn(kind.open()), onEvent: (e) => events.push(e) });
      const started = gate();
      const finish = gate();
      const docs = upstream();
      const register = searchDocs(observed, async (query) => {
        started.open();
        await finish.opened;
        return docs.answer(query);
      });
      const alice = await line.connect(register, { clientId: "alice" });
      const bob = await line.connect(register, { clientId: "bob" });
      const carol = await line.connect(register, { clientId: "carol" });
      const aliceCall = alice.call("search_docs", { query: "ttl" });
      await started.opened;
      const controller = new AbortController();
      const bobCall = bob.call("search_docs", { query: "ttl" }, { signal: controller.signal });
      bobCall.catch(() => {});
      const carolCall = carol.call("search_docs", { query: "ttl" });
      await waitFor(
        "bob and carol to join alice's run",
        () => observed.stats().tools.search_docs?.coalesced === 2,
      );
      controller.abort(new Error("bob gave up"));
      await expect(bobCall).rejects.toThrow();
      await waitFor("the server to drop bob's wait", () => events.some((e) => e.type === "cancelled"));
      finish.open();
      expect(textOf(await aliceCall)).toBe("ttl (call 1)");
      expect(textOf(await carolCall)).toBe("ttl (call 1)");
      expect(docs.calls).toBe(1);
      // The shared run stored its result: the next call is a hit.
      expect(textOf(await bob.call("search_docs", { query: "ttl" }))).toBe("ttl (call 1)");
      expect(observed.stats().tools.search_docs).toMatchObject({ hits: 1, misses: 1 });
    });

    it("gives the others the result when the caller that started the shared run cancels", async () => {
      const policies = createToolPolicies({ cache: cacheOn(kind.open()) });
      const started = gate();
      const finish = gate();
      const docs = upstream();
      const register = searchDocs(policies, async (query, ctx) => {
        started.open();
        await finish.opened;
        // A handler that honours its request's cancellation: the run it started for others ends.
        (ctx.mcpReq?.signal ?? ctx.signal)?.throwIfAborted();
        return docs.answer(query);
      });
      const alice = await line.connect(register, { clientId: "alice" });
      const bob = await line.connect(register, { clientId: "bob" });
      const controller = new AbortController();
      const aliceCall = alice.call("search_docs", { query: "ttl" }, { signal: controller.signal });
      aliceCall.catch(() => {});
      await started.opened;
      const bobCall = bob.call("search_docs", { query: "ttl" });
      await waitFor("bob to join alice's run", () => policies.stats().tools.search_docs?.coalesced === 1);
      controller.abort(new Error("alice gave up"));
      await expect(aliceCall).rejects.toThrow();
      finish.open();
      // Alice's cancellation is hers: Bob ran the call again as himself.
      expect(textOf(await bobCall)).toBe("ttl (call 1)");
    });
  });
});
