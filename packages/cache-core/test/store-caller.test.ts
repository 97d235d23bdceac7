import { storeCaller } from "@mcp-persist/cache-core/kit";
import { memoryStore, sampleScripts } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";

const PKG = "@mcp-persist/example";
const incr = sampleScripts.incrWithTtl;

describe("storeCaller: the one way a capability calls its store", () => {
  it("turns a store's synchronous throw into a rejection", async () => {
    const store = memoryStore();
    const broken = {
      ...store,
      capabilities: store.capabilities,
      get: (): Promise<string | undefined> => {
        throw new Error("buggy client");
      },
    };
    const caller = storeCaller(broken, { pkg: PKG, timeoutMs: 100, consequence: "it went on" });
    const call = caller.get("k");
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow("buggy client");
  });

  it("hands a script reply that arrives after its deadline to onLateReply", async () => {
    const store = memoryStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = {
      ...store,
      // Without the memory store's deadline (0: settled when they return): these calls wait.
      capabilities: { shared: false, cluster: false },
      run: async (...args: Parameters<typeof store.run>) => {
        await gate;
        return store.run(...args);
      },
    } as typeof store;
    const caller = storeCaller(slow, { pkg: PKG, timeoutMs: 30, consequence: "it went on" });
    const late: number[] = [];
    const call = caller.run(incr, ["n"], [1, 60_000], { onLateReply: (reply) => late.push(reply) });
    await expect(call).rejects.toMatchObject({
      code: "ERR_STORE_TIMEOUT",
      message: expect.stringContaining(
        `[${PKG}] store run(${incr.name}) did not answer within 30 ms; it went on`,
      ),
    });
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(late).toEqual([1]);
  });
});
