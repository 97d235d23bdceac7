import { InvalidOptionError } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it } from "vitest";
import {
  createSessionState,
  createToolPolicies,
  McpArgumentError,
  mcpCaller,
  type RequestContext,
  requestSignal,
} from "../src/index";
import { partsOn, textOf, upstream } from "./support/parts";
import { type AnyServer, sdkLines } from "./support/sdk-lines";

const redis = useRedis();
const kinds = storeKinds(redis);
const lruKind = kinds[0] as (typeof kinds)[number];
const lines = sdkLines();

describe("mcpCaller", () => {
  const authInfo = { clientId: "client-7" };

  it("is the authenticated client, refined by the session where there is one", () => {
    expect(mcpCaller({ sessionId: "s-1", authInfo })).toEqual({ client: "client-7", session: "s-1" });
    expect(mcpCaller({ sessionId: "s-1", authInfo }, { prefer: "client" })).toEqual({ client: "client-7" });
    expect(mcpCaller({ authInfo })).toEqual({ client: "client-7" });
    expect(mcpCaller({ http: { authInfo } })).toEqual({ client: "client-7" }); // SDK v2
    expect(mcpCaller({ sessionId: "s-1" })).toEqual({ session: "s-1" });
    expect(mcpCaller({ sessionId: "s-1" }, { prefer: "client" })).toEqual({ session: "s-1" });
  });

  it("falls back to the configured identity, else nobody", () => {
    expect(mcpCaller({}, { identity: "stdio-user" })).toEqual({ client: "stdio-user" });
    expect(mcpCaller({ authInfo }, { identity: "stdio-user" })).toEqual({ client: "client-7" });
    expect(mcpCaller({})).toBeUndefined();
    expect(mcpCaller({ sessionId: "", authInfo: { clientId: "" } })).toBeUndefined();
  });

  // v1 calls a tool without inputSchema as handler(extra): a handler written (args, extra) then
  // passes undefined, which must not silently become "nobody".
  it.each([undefined, null, "s-1"])("refuses %s instead of a handler context", (context) => {
    const attempt = () => mcpCaller(context as never);
    expect(attempt).toThrow(McpArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(attempt).toThrow(
      /^\[@mcp-persist\/mcp\] mcpCaller\(\) needs the tool handler's extra \(SDK v1\) or ctx \(SDK v2\)/,
    );
  });

  it.each([
    [{ prefer: "user" }, 'caller.prefer must be "session" or "client", got "user"'],
    [{ identity: 42 }, "caller.identity must be a string, got 42"],
  ])("refuses options %s, at createToolPolicies too", (options, message) => {
    expect(() => mcpCaller({}, options as never)).toThrow(`[@mcp-persist/mcp] ${message}`);
    expect(() => createToolPolicies({ caller: options as never })).toThrow(InvalidOptionError);
  });
});

describe.each(kinds)("identity on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    it("keys per-caller entries on the configured identity where the transport has none", async () => {
      const { cache } = partsOn(kind);
      const calls = upstream();
      const serve = (identity: string) => {
        const policies = createToolPolicies({ cache, caller: { identity } });
        return (server: AnyServer) =>
          policies.registerTool(
            server,
            "get_metrics",
            { annotations: { readOnlyHint: true }, cache: { perCaller: true } },
            () => calls.answer(identity),
          );
      };
      // Two stdio-like processes, each its own caller, sharing one cache.
      const first = await line.connect(serve("process-1"));
      const second = await line.connect(serve("process-2"));
      expect(textOf(await first.call("get_metrics"))).toBe("process-1 (call 1)");
      expect(textOf(await second.call("get_metrics"))).toBe("process-2 (call 2)");
      expect(textOf(await first.call("get_metrics"))).toBe("process-1 (call 1)");
      expect(textOf(await second.call("get_metrics"))).toBe("process-2 (call 2)");
    });
  });
});

describe.each(lines)("a handler that reads its context from the wrong parameter, SDK $name", (line) => {
  // The SDKs call a tool without inputSchema as handler(ctx): a handler written (args, ctx) gets
  // undefined as ctx. Read as "no session" or "no signal", it would fail silently (a note never
  // kept, an upstream call never cancelled); the client is told instead.
  it.each([
    ["requestSignal", (ctx: RequestContext) => requestSignal(ctx)],
    ["sessions.of", (ctx: RequestContext) => createSessionState(lruKind.open()).of(ctx)],
  ])("%s() refuses it with McpArgumentError, which the client sees", async (fn, read) => {
    let thrown: unknown;
    const client = await line.connect((server) =>
      (server as unknown as { registerTool: (...args: unknown[]) => void }).registerTool(
        "recall",
        { description: "The note of this session" },
        async (_args: unknown, ctx: RequestContext) => {
          try {
            read(ctx);
          } catch (error) {
            thrown = error;
            throw error;
          }
          return { content: [{ type: "text", text: "no note" }] };
        },
      ),
    );
    const result = await client.call("recall");
    expect(thrown).toBeInstanceOf(McpArgumentError);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(
      `[@mcp-persist/mcp] ${fn}() needs the tool handler's extra (SDK v1) or ctx (SDK v2), got undefined`,
    );
  });
});
