import { createLocalContext, memoryKeyspace, type Store, systemClock } from "@mcp-persist/cache-core";
import { memoryStore, storeConformance } from "@mcp-persist/cache-core/testing";
import { describe, expect, it, test } from "vitest";

// The kit passes on the reference store...
storeConformance(test, () => memoryStore(), { scripts: true, shared: false, serverTime: false });

// ...and fails on stores that break the contract: a kit that cannot fail would prove nothing.
type Registered = { name: string; fn: () => Promise<void> };

function collect(makeStore: () => Store, capabilities = {}): Registered[] {
  const registered: Registered[] = [];
  storeConformance((name, fn) => registered.push({ name, fn }), makeStore, capabilities);
  return registered;
}

async function failures(makeStore: () => Store): Promise<string[]> {
  const failed: string[] = [];
  for (const { name, fn } of collect(makeStore)) {
    try {
      await fn();
    } catch {
      failed.push(name.replace("store conformance: ", ""));
    }
  }
  return failed;
}

/** A reference store with one method replaced. */
function broken(patch: (inner: Store) => Partial<Store>): () => Store {
  return () => {
    const inner = memoryStore();
    return { ...inner, ...patch(inner) };
  };
}

describe("the conformance kit catches broken stores", () => {
  it("a store whose reads extend TTLs (sliding expiry)", async () => {
    const failed = await failures(
      broken((inner) => ({
        get: async (key) => {
          const value = await inner.get(key);
          if (value !== undefined) await inner.set(key, value, 200);
          return value;
        },
      })),
    );
    expect(failed).toContain("TTLs are absolute: reads do not extend them");
  }, 20_000);

  it("a store that ignores TTLs", async () => {
    const failed = await failures(
      broken((inner) => ({ set: (key, value) => inner.set(key, value, 3_600_000) })),
    );
    expect(failed).toContain("an entry expires after its TTL in milliseconds");
    expect(failed).toContain("an invalid TTL rejects with ERR_INVALID_TTL and stores nothing");
  }, 20_000);

  it("a store whose scripts disagree with their JS body", async () => {
    const failed = await failures(
      broken((inner) => ({
        run: async (script, keys, args) => {
          const reply = await inner.run(script, keys, args);
          return (typeof reply === "number" ? reply + 1 : reply) as never;
        },
      })),
    );
    expect(failed).toContain("scripts reply exactly as their JS body does on the reference context");
  }, 20_000);

  it("a store whose scripts are not atomic", async () => {
    const failed = await failures(() => {
      const inner = memoryStore();
      const ctx = createLocalContext(memoryKeyspace(systemClock), systemClock);
      return {
        ...inner,
        // Reads, yields to other calls, then writes: the classic lost update.
        run: async (_script, keys) => {
          const key = keys[0] as string;
          const current = Number(ctx.get(key) ?? "0");
          await new Promise((resolve) => setImmediate(resolve));
          ctx.set(key, String(current + 1), 60_000);
          return (current + 1) as never;
        },
      };
    });
    expect(failed).toContain("scripts are atomic: 200 concurrent increments return 1..200 once each");
  }, 20_000);

  it("a store that keeps answering after close, or whose delete always says true", async () => {
    const failed = await failures(
      broken((inner) => ({
        close: async () => {},
        delete: async (key) => (await inner.delete(key)) || true,
      })),
    );
    expect(failed).toContain(
      "close lets started calls finish, is idempotent, and later calls reject with ERR_STORE_CLOSED",
    );
    expect(failed).toContain("delete reports whether a live entry was removed");
  }, 20_000);

  it("a store that mixes up strange keys", async () => {
    const failed = await failures(broken((inner) => ({ get: (key) => inner.get(key.replace(/\s/g, "")) })));
    expect(failed).toContain("unicode and binary-looking keys and values round-trip, each kept apart");
  }, 20_000);

  it("a store that declares capabilities other than the ones it is tested with", async () => {
    const registered = collect(() => memoryStore(), { shared: true });
    const declares = registered.find((r) => r.name.includes("declares a name"));
    await expect(declares?.fn()).rejects.toThrow("capabilities.shared");
  });

  it("skips script tests for a store that declares no scripts, and checks run() says so", () => {
    const names = collect(() => memoryStore(), { scripts: false }).map((r) => r.name);
    expect(names.some((n) => n.includes("atomic"))).toBe(false);
    expect(names.some((n) => n.includes("ERR_UNSUPPORTED"))).toBe(true);
  });
});
