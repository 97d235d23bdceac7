import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { type Store, systemClock } from "@mcp-persist/cache-core";
import { createLocalContext, memoryKeyspace } from "@mcp-persist/cache-core/kit";
import {
  type ConformanceOptions,
  memoryStore,
  type Outage,
  storeConformance,
} from "@mcp-persist/cache-core/testing";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";

/** An outage of nothing, for in-process stores under test here: what the kit does around it is tested. */
function pretendOutage(): Outage & { begun: number; ended: number } {
  return {
    begun: 0,
    ended: 0,
    begin() {
      this.begun++;
    },
    end() {
      this.ended++;
    },
  };
}

// The kit passes on the reference store...
storeConformance(
  test,
  () => memoryStore(),
  { shared: false, cluster: false },
  { outages: { "a pretend one": pretendOutage() } },
);

// ...and fails on stores that break the contract: a kit that cannot fail would prove nothing.
type Registered = { name: string; fn: () => Promise<void> };

function collect(makeStore: () => Store, capabilities = {}, options: ConformanceOptions = {}): Registered[] {
  const registered: Registered[] = [];
  storeConformance((name, fn) => registered.push({ name, fn }), makeStore, capabilities, options);
  return registered;
}

/** The names of the tests that fail, among those whose name matches `only` (by default all). */
async function failures(
  makeStore: () => Store,
  { only = /./, options = {} }: { only?: RegExp; options?: ConformanceOptions } = {},
): Promise<string[]> {
  const failed: string[] = [];
  for (const { name, fn } of collect(makeStore, {}, options)) {
    if (!only.test(name)) continue;
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

  describe("close()", () => {
    const CLOSE_TESTS = /close right after creation|close during an outage/;
    const afterCreation =
      "close right after creation, before the first connection, settles and leaves no connection open";
    const duringOutage =
      "close during an outage (a pretend one) settles while it lasts, settles started calls, and leaves no connection open";

    // A real loopback server stands for the one a store connects to.
    const server = createServer((socket) => socket.on("error", () => {}));
    let port = 0;
    beforeAll(async () => {
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      port = (server.address() as { port: number }).port;
    });
    const opened: Socket[] = [];
    afterAll(() => {
      for (const socket of opened) socket.destroy();
      server.close();
    });

    /** A reference store that opens a connection, and closes it on close() unless `leaks`. */
    function connected(leaks: boolean): () => Store {
      return () => {
        const inner = memoryStore();
        const socket = connect(port, "127.0.0.1").on("error", () => {});
        opened.push(socket);
        return {
          ...inner,
          close: async () => {
            await inner.close();
            if (!leaks) socket.destroy();
          },
        };
      };
    }

    it("passes a store that closes its connection, and ends each outage it began", async () => {
      const outage = pretendOutage();
      const failed = await failures(connected(false), {
        only: CLOSE_TESTS,
        options: { outages: { "a pretend one": outage } },
      });
      expect(failed).toEqual([]);
      expect(outage).toMatchObject({ begun: 1, ended: 1 });
    });

    it("fails a store whose close() never settles, and still ends the outage", async () => {
      const outage = pretendOutage();
      const failed = await failures(
        broken(() => ({ close: () => new Promise<void>(() => {}) })),
        {
          only: CLOSE_TESTS,
          options: { outages: { "a pretend one": outage } },
        },
      );
      expect(failed).toEqual([afterCreation, duringOutage]);
      expect(outage).toMatchObject({ begun: 1, ended: 1 });
    });

    it("fails a store that leaves its connection open after close()", async () => {
      const failed = await failures(connected(true), {
        only: CLOSE_TESTS,
        options: { outages: { "a pretend one": pretendOutage() } },
      });
      expect(failed).toEqual([afterCreation, duringOutage]);
    });

    it("fails a store whose calls started during the outage never settle", async () => {
      let out = false;
      const outage = { begin: () => void (out = true), end: () => void (out = false) };
      const failed = await failures(
        broken((inner) => ({
          get: (key) => (out ? new Promise<never>(() => {}) : inner.get(key)),
        })),
        { only: /close during an outage/, options: { outages: { "a pretend one": outage } } },
      );
      expect(failed).toEqual([duringOutage]);
    });

    it("runs the outage tests only for the outages it is given", () => {
      const names = (options: ConformanceOptions) =>
        collect(() => memoryStore(), {}, options)
          .map((r) => r.name)
          .filter((name) => name.includes("during an outage"));
      expect(names({})).toEqual([]);
      expect(names({ outages: { frozen: pretendOutage(), killed: pretendOutage() } })).toHaveLength(2);
    });
  });

  it("a store that mixes up strange keys", async () => {
    const failed = await failures(broken((inner) => ({ get: (key) => inner.get(key.replace(/\s/g, "")) })));
    expect(failed).toContain("unicode and binary-looking keys and values round-trip, each kept apart");
  }, 20_000);

  it("a store that declares capabilities other than the ones it is tested with", async () => {
    const registered = collect(() => memoryStore(), { shared: true });
    const declares = registered.find((r) => r.name.includes("declares a name"));
    await expect(declares?.fn()).rejects.toThrow("capabilities.shared");
  });

  it("a store tested as a Cluster that does not say it is one", async () => {
    const registered = collect(() => memoryStore(), { cluster: true });
    const declares = registered.find((r) => r.name.includes("declares a name"));
    await expect(declares?.fn()).rejects.toThrow("capabilities.cluster");
  });
});
