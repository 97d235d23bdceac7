// The keyspace lruStore keeps script state in: its LRU order (stamps, and a heap for evictions), its
// absolute expiry (judged at a script's reading of the clock when given one) and its two bounds.
import { createManualClock } from "@mcp-persist/cache-core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StateKeyspace } from "../src/state-keyspace";

const TTL = 60_000;

function keyspace(bounds: { maxKeys?: number; maxSize?: number } = {}) {
  const clock = createManualClock();
  const state = new StateKeyspace(
    { maxKeys: bounds.maxKeys ?? 100, maxSize: bounds.maxSize ?? 1_000_000, ttlAutopurge: false },
    clock,
  );
  return { clock, state };
}

describe("StateKeyspace: least recently used order", () => {
  it("evicts the least recently used key, a read or a write making a key the newest", () => {
    const { state } = keyspace({ maxKeys: 3 });
    for (const key of ["a", "b", "c"]) state.write(key, "1", TTL);
    expect(state.read("a")).toBe("1"); // a is the newest now: b is the oldest
    state.write("d", "1", TTL);
    expect(state.keys()).toEqual(["c", "a", "d"]);
    state.write("c", "2", TTL); // rewriting c makes it the newest: a is the oldest
    state.writeInteger("e", 5, TTL);
    expect(state.keys()).toEqual(["d", "c", "e"]);
    expect(state.size).toBe(3);
  });

  it("keeps its order through a key used on every call among others, and through removals", () => {
    const { state } = keyspace({ maxKeys: 4 });
    for (const key of ["a", "b", "c", "d"]) state.write(key, "x", TTL);
    for (let i = 0; i < 10_000; i++) {
      const value = state.readInteger("hot") ?? 0; // read, then rewritten: as a rate-limit check does
      state.writeInteger("hot", (value as number) + 1, TTL);
      if (i === 0) expect(state.keys()).toEqual(["b", "c", "d", "hot"]); // a was evicted for it
    }
    expect(state.get("hot")).toBe(10_000);
    expect(state.remove("c")).toBe(true); // from the middle
    expect(state.remove("b")).toBe(true); // the oldest
    state.write("e", "x", TTL);
    expect(state.keys()).toEqual(["d", "hot", "e"]);
    expect(state.remove("e")).toBe(true); // the newest
    state.write("f", "x", TTL);
    state.write("g", "x", TTL);
    state.write("h", "x", TTL); // one past the bound: d is the oldest
    expect(state.keys()).toEqual(["hot", "f", "g", "h"]);
    expect(state.remove("missing")).toBe(false);
  });

  it("does not refresh a key on inspection (get, has, dump)", () => {
    const { state } = keyspace({ maxKeys: 2 });
    state.write("a", "1", TTL);
    state.write("b", "1", TTL);
    expect([state.get("a"), state.has("a"), state.dump()[0]?.[0]]).toEqual(["1", true, "a"]);
    state.write("c", "1", TTL);
    expect(state.keys()).toEqual(["b", "c"]);
  });

  it("empties on clear, and works again after", () => {
    const { state } = keyspace({ maxKeys: 2 });
    state.write("a", "1", TTL);
    state.writeInteger("b", 12, TTL);
    state.clear();
    expect([state.size, state.calculatedSize, state.keys()]).toEqual([0, 0, []]);
    for (const key of ["c", "d", "e"]) state.write(key, "1", TTL);
    expect(state.keys()).toEqual(["d", "e"]);
  });

  it("keeps exactly the order of a reference LRU through any mix of reads, writes, removals and evictions", () => {
    // The order is worked out lazily (a heap re-places a key only when it reaches the top, and
    // removed keys leave it later), so every way a key can move is checked against the plainest
    // exact LRU.
    // Up to 40 keys against bounds of 1 to 30: small heaps and deep ones, often past the bound.
    const key = fc.integer({ min: 0, max: 39 }).map((i) => `k${i}`);
    const op = fc.oneof(
      {
        arbitrary: fc.record({
          op: fc.constantFrom("write", "writeInteger", "read", "readInteger", "get", "remove"),
          key,
        }),
        weight: 30,
      },
      { arbitrary: fc.constant({ op: "clear", key: "" }), weight: 1 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(op, { maxLength: 600, size: "max" }),
        (maxKeys, ops) => {
          const { state } = keyspace({ maxKeys });
          const model = new ReferenceLru(maxKeys);
          for (const { op, key } of ops) {
            if (op === "write") state.write(key, "x", TTL);
            else if (op === "writeInteger") state.writeInteger(key, 7, TTL);
            else if (op === "read") state.read(key);
            else if (op === "readInteger") state.readInteger(key);
            else if (op === "get")
              state.get(key); // inspection: no recency change
            else if (op === "remove") state.remove(key);
            else state.clear();
            if (op === "write" || op === "writeInteger") model.use(key);
            else if (op === "read" || op === "readInteger") model.read(key);
            else if (op === "remove") model.remove(key);
            else if (op === "clear") model.clear();
            expect(state.keys()).toEqual(model.keys());
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps its order through thousands of removals and evictions (removed keys are swept out in bulk)", () => {
    const { state } = keyspace({ maxKeys: 3 });
    const model = new ReferenceLru(3);
    for (let i = 0; i < 3000; i++) {
      state.write(`k${i}`, "x", TTL);
      model.use(`k${i}`);
      if (i % 3 === 0) {
        state.remove(`k${i}`);
        model.remove(`k${i}`);
      } else {
        state.read(`k${i - 1}`);
        model.read(`k${i - 1}`);
      }
    }
    expect(state.keys()).toEqual(model.keys());
    expect(state.size).toBe(model.keys().length);
  });
});

/** The plainest exact LRU: a Map whose keys move to its end when used, the first going past the bound. */
class ReferenceLru {
  readonly #keys = new Map<string, true>();
  constructor(readonly maxKeys: number) {}
  use(key: string): void {
    this.#keys.delete(key);
    this.#keys.set(key, true);
    while (this.#keys.size > this.maxKeys) this.#keys.delete(this.#keys.keys().next().value as string);
  }
  /** A read refreshes a key that is held, and adds none. */
  read(key: string): void {
    if (this.#keys.has(key)) this.use(key);
  }
  remove(key: string): void {
    this.#keys.delete(key);
  }
  clear(): void {
    this.#keys.clear();
  }
  keys(): string[] {
    return [...this.#keys.keys()];
  }
}

describe("StateKeyspace: absolute expiry", () => {
  it("expires a key once the clock is past its TTL, and never extends it on reads", () => {
    const { clock, state } = keyspace();
    state.write("k", "v", 1000);
    clock.advance(600);
    expect(state.read("k")).toBe("v");
    clock.advance(400); // exactly at the deadline: still there, as in Redis
    expect([state.read("k"), state.remainingTtl("k")]).toEqual(["v", 0]);
    clock.advance(1);
    expect([state.read("k"), state.remainingTtl("k"), state.remove("k")]).toEqual([
      undefined,
      undefined,
      false,
    ]);
    expect(state.size).toBe(0);
  });

  it("leaves an expired key a script read for the write that follows it; any other read drops it", () => {
    const { clock, state } = keyspace();
    state.writeInteger("bucket", 5, 1000);
    state.write("other", "v", TTL);
    clock.advance(1001);
    // A script's read (a rate-limit bucket that emptied): missing, but the entry is still held.
    expect(state.readInteger("bucket", clock.now())).toBeUndefined();
    expect(state.size).toBe(2);
    // Its write rewrites that entry: a new value and TTL, made the newest.
    state.writeInteger("bucket", 6, 1000, clock.now());
    expect([state.readInteger("bucket"), state.remainingTtl("bucket"), state.size]).toEqual([6, 1000, 2]);
    expect(state.keys()).toEqual(["other", "bucket"]);
    clock.advance(1001);
    expect(state.read("bucket")).toBeUndefined();
    expect(state.size).toBe(2);
    expect(state.has("bucket")).toBe(false); // an inspection drops it
    expect(state.size).toBe(1);
  });

  it("drops an expired key a script read without writing it at the next use of another key, before any eviction", () => {
    const { clock, state } = keyspace({ maxKeys: 2 });
    state.write("held", "token", TTL); // a long lease: the least recently used key
    state.write("lapsed", "token", 1000);
    clock.advance(1001);
    // A release that finds its lease lapsed writes nothing; the entry it read is left behind.
    expect(state.read("lapsed", clock.now())).toBeUndefined();
    // The next key written needs a slot: the expired entry gives it up, not the live lease.
    state.write("new", "token", TTL);
    expect(state.keys()).toEqual(["held", "new"]);
    expect(state.size).toBe(2);
  });

  it("judges expiry at the time a script read when it is handed one", () => {
    const { clock, state } = keyspace();
    state.write("k", "v", 1000);
    clock.advance(2000);
    expect(state.read("k", clock.now() - 1500)).toBe("v"); // the script's reading, before the deadline
    expect(state.readInteger("k", clock.now())).toBeUndefined(); // at the clock's time it is gone
    state.writeInteger("n", 7, 1000);
    expect(state.readInteger("n", clock.now() + 1001)).toBeUndefined();
  });

  it("keeps the TTL a key has when written without one (KEEPTTL); a new or expired key gets none", () => {
    const { clock, state } = keyspace();
    state.write("k", "1", 1000);
    clock.advance(400);
    state.write("k", "2");
    expect([state.read("k"), state.remainingTtl("k")]).toEqual(["2", 600]);
    state.write("new", "1");
    expect(state.remainingTtl("new")).toBe(Number.POSITIVE_INFINITY);
    clock.advance(601); // k has expired, not yet dropped
    state.write("k", "3");
    expect([state.read("k"), state.remainingTtl("k")]).toEqual(["3", Number.POSITIVE_INFINITY]);
  });

  it("judges whether a key written without a TTL keeps its own at the script's time, when given", () => {
    const { clock, state } = keyspace();
    state.write("k", "1", 1000);
    clock.advance(1001);
    // A script that read the clock before the deadline found k live: it keeps its TTL, so it is
    // gone at the clock's time, rather than made a key without one.
    state.write("k", "2", undefined, clock.now() - 2);
    expect(state.read("k")).toBeUndefined();
  });

  it("lists only live keys, with the ms they have left", () => {
    const { clock, state } = keyspace();
    state.write("short", "v", 100);
    state.writeInteger("long", 42, 1000);
    state.write("forever", "v");
    clock.advance(500);
    expect(state.dump()).toEqual([
      ["long", { value: 42, ttlMs: 500 }],
      ["forever", { value: "v", ttlMs: Number.POSITIVE_INFINITY }],
    ]);
    expect(state.size).toBe(3); // the expired one is dropped when next touched or evicted
  });

  it("purges expired keys by itself with ttlAutopurge", async () => {
    const state = new StateKeyspace(
      { maxKeys: 10, maxSize: 1000, ttlAutopurge: true },
      { now: () => performance.timeOrigin + performance.now() },
    );
    state.write("k", "v", 20);
    state.write("kept", "v", 60_000);
    expect(state.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.keys()).toEqual(["kept"]);
    expect(state.size).toBe(1);
  });
});

describe("StateKeyspace: integers and other values under one key", () => {
  it("gives back what was written last, whichever kind, in every view", () => {
    // An integer is kept in a field of its own (see StateEntry): a key that changes kind must
    // never show the other kind's leftover.
    const { state } = keyspace();
    const views = () => [state.read("k"), state.readInteger("k"), state.get("k"), state.dump()[0]?.[1].value];
    state.writeInteger("k", 2 ** 40, TTL);
    expect(views()).toEqual([String(2 ** 40), 2 ** 40, 2 ** 40, 2 ** 40]);
    state.write("k", "text", TTL);
    expect(views()).toEqual(["text", "text", "text", "text"]);
    state.write("k", 0, TTL); // a number given to write() is an integer too
    expect(views()).toEqual(["0", 0, 0, 0]);
    const members = new Set(["m"]);
    state.write("k", members, TTL);
    expect(views()).toEqual([members, members, members, members]);
    state.writeInteger("k", -7, undefined); // KEEPTTL: the TTL stays whatever the kind
    expect([...views(), state.remainingTtl("k")]).toEqual(["-7", -7, -7, -7, TTL]);
  });
});

describe("StateKeyspace: the size bound", () => {
  it("counts keys and values, integers as their digits, and evicts the oldest until it fits", () => {
    const { state } = keyspace({ maxSize: 20 });
    state.write("a", "x".repeat(8), TTL); // 1 + 1 + 8 = 10
    state.writeInteger("b", 12_345, TTL); // 1 + 1 + 5 = 7
    expect(state.calculatedSize).toBe(17);
    state.writeInteger("b", 1_234_567, TTL); // rewritten in place, larger: 1 + 1 + 7 = 9
    expect(state.calculatedSize).toBe(19);
    state.write("c", "xx", TTL); // 4 more: a goes
    expect([state.keys(), state.calculatedSize]).toEqual([["b", "c"], 13]);
    expect(state.read("b")).toBe("1234567");
  });

  it("counts an integer as the length of its decimal string, at every number of digits", () => {
    // Powers of ten and their neighbours, negatives, up to the largest safe integer: each is
    // counted by comparisons, not by making its string, so each boundary is checked.
    const values = [0, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let power = 1; power < 1e16; power *= 10) values.push(power - 1, power, power + 1, -power);
    for (const value of values) {
      const { state } = keyspace();
      state.writeInteger("k", value, TTL); // a new key
      expect([value, state.calculatedSize]).toEqual([value, 1 + 1 + String(value).length]);
      state.writeInteger("k", 7, TTL);
      state.writeInteger("k", value, TTL); // rewritten in place, as the newest key
      expect([value, state.calculatedSize]).toEqual([value, 1 + 1 + String(value).length]);
    }
  });

  it("rewrites the newest key in place (a counter a script just read) counted, bounded and with its TTL", () => {
    const { clock, state } = keyspace({ maxSize: 20 });
    state.write("a", "x".repeat(8), TTL); // 10
    state.writeInteger("b", 5, TTL); // 3, and the newest
    state.writeInteger("b", 1_000_000, TTL); // 9
    expect([state.keys(), state.calculatedSize]).toEqual([["a", "b"], 19]);
    state.writeInteger("b", 1e9, TTL / 2, clock.now()); // 12: past the bound, a goes
    expect([state.keys(), state.calculatedSize, state.remainingTtl("b")]).toEqual([["b"], 12, TTL / 2]);
    state.write("b", "text", TTL);
    state.writeInteger("b", 42, TTL); // what was a string is an integer again
    expect([state.read("b"), state.readInteger("b"), state.calculatedSize]).toEqual(["42", 42, 4]);
    state.writeInteger("b", 1e19, TTL); // 22, larger than the bound: the key goes
    expect([state.read("b"), state.keys(), state.calculatedSize]).toEqual([undefined, [], 0]);
  });

  it("does not keep a value larger than the bound, and drops what its key held", () => {
    const { state } = keyspace({ maxSize: 20 });
    state.write("a", "small", TTL);
    state.write("b", "small", TTL);
    state.write("a", "x".repeat(30), TTL);
    expect([state.read("a"), state.keys(), state.calculatedSize]).toEqual([undefined, ["b"], 7]);
  });

  it("keeps structured values a script owns, estimated", () => {
    const { state } = keyspace();
    const members = new Map([["m", 1]]);
    state.write("z", members, TTL);
    expect(state.read("z")).toBe(members);
    expect(state.calculatedSize).toBe(64 + 1 + 48);
  });
});
