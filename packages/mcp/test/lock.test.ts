import { LOCK_BUSY_MESSAGE, once, withLock } from "@mcp-persist/lock";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { busyResult, createToolPolicies, McpArgumentError, type McpPolicyEvent } from "../src/index";
import { gate, partsOn, textOf, upstream } from "./support/parts";
import { type AnyServer, sdkLines } from "./support/sdk-lines";
import { sendEmail } from "./support/tools";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

describe.each(kinds)("lock and once on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("runs one of two concurrent calls on a resource; the other is busy and gets its unit back", async () => {
      const { store, limiter } = partsOn(kind, 2);
      const events: McpPolicyEvent[] = [];
      const policies = createToolPolicies({ limiter, lockStore: store, onEvent: (e) => events.push(e) });
      const started = gate();
      const finish = gate();
      const mail = upstream();
      const send = async (to: string) => {
        if (to === "x") {
          started.open();
          await finish.opened;
        }
        return mail.answer(`sent to ${to}`);
      };
      const client = await line.connect(sendEmail(policies, send, { ttlMs: 30_000 }), { clientId: "alice" });
      const first = client.call("send_email", { to: "x" });
      await started.opened;
      const second = await client.call("send_email", { to: "x" });
      expect(second).toEqual(
        expect.objectContaining({ isError: true, content: [{ type: "text", text: LOCK_BUSY_MESSAGE }] }),
      );
      line.parseCallToolResult(second);
      finish.open();
      expect(textOf(await first)).toBe("sent to x (call 1)");
      expect(events).toContainEqual({ type: "refund", tool: "send_email", returned: true });
      // Two units a minute: the first call spent one, the busy one gave its own back, so one is left.
      expect(textOf(await client.call("send_email", { to: "y" }))).toBe("sent to y (call 2)");
      expect(await client.call("send_email", { to: "z" })).toMatchObject({ isError: true });
      expect(mail.calls).toBe(2);
      expect(policies.stats().tools.send_email).toMatchObject({ busy: 1, denied: 1 });
    });

    it("answers a retried once call with the stored result, spending nothing", async () => {
      const { store, limiter } = partsOn(kind, 3);
      const policies = createToolPolicies({ limiter, lockStore: store });
      let calls = 0;
      const register = (server: AnyServer) =>
        policies.registerTool(
          server,
          "charge_card",
          {
            inputSchema: z.object({ idempotencyKey: z.string(), fail: z.boolean().optional() }),
            rateLimit: true,
            once: { key: ({ idempotencyKey }) => `charge:${idempotencyKey}` },
          },
          async ({ idempotencyKey, fail }) => {
            calls++;
            return fail === true
              ? { content: [{ type: "text", text: "card declined" }], isError: true }
              : { content: [{ type: "text", text: `charged ${idempotencyKey} (call ${calls})` }] };
          },
        );
      const client = await line.connect(register, { clientId: "alice" });
      expect(textOf(await client.call("charge_card", { idempotencyKey: "k1" }))).toBe("charged k1 (call 1)");
      expect(textOf(await client.call("charge_card", { idempotencyKey: "k1" }))).toBe("charged k1 (call 1)");
      // An error result is not a done side effect: not stored, so a retry runs it again.
      expect(await client.call("charge_card", { idempotencyKey: "k2", fail: true })).toMatchObject({
        isError: true,
      });
      expect(textOf(await client.call("charge_card", { idempotencyKey: "k2" }))).toBe("charged k2 (call 3)");
      expect(calls).toBe(3);
      // Three units a minute, and three handler runs: the replay of k1 gave its unit back.
      expect(textOf(await client.call("charge_card", { idempotencyKey: "k3" }))).toMatch(
        /^Rate limit exceeded/,
      );
    });
  });
});

describe.each(kinds)("busyResult on $name", (kind) => {
  it("answers a busy or unknown outcome, and refuses one that ran instead of calling it busy", async () => {
    const store = kind.open();
    const held = gate();
    const holding = withLock(store, "report", () => held.opened);
    const busy = await withLock(store, "report", () => "never");
    held.open();
    const ran = await holding;
    expect(busy.status).toBe("busy");
    expect(busyResult(busy as never).content[0].text).toBe(LOCK_BUSY_MESSAGE);
    expect(ran.status).toBe("ran");
    expect(() => busyResult(ran as never)).toThrow(McpArgumentError);
    expect(() => busyResult(ran as never)).toThrow(
      '[@mcp-persist/mcp] busyResult() takes a withLock or once outcome that did not run (status "busy" or "unknown"), got status "ran"',
    );
    const done = await once(store, "report-1", () => 1).then(() => once(store, "report-1", () => 2));
    expect(done.status).toBe("done");
    expect(() => busyResult(done as never)).toThrow('got status "done"');
    expect(() => busyResult(undefined as never)).toThrow("got undefined");
    expect(() => busyResult(busy as never, 5 as never)).toThrow(
      "busyResult()'s message must be a string, got 5",
    );
  });
});
