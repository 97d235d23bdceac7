import { createHash } from "node:crypto";
import { ScriptError } from "@mcp-persist/cache-core";
import {
  createLocalContext,
  defineScript,
  type LocalKeyspace,
  memoryKeyspace,
  runLocalScript,
} from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { describe, expect, it } from "vitest";
import { bumpGenerationScript, readGenerationScript } from "../src/generation-scripts";

function context() {
  const clock = createManualClock(1_700_000_000_000.25);
  return { clock, ctx: createLocalContext(memoryKeyspace(clock), clock) };
}

const run = (
  body: (ctx: ReturnType<typeof context>["ctx"], args: readonly string[]) => unknown,
  args: (string | number)[] = [],
) => {
  const { ctx } = context();
  const script = defineScript({ name: "t", lua: "return 1", local: (c, _keys, a) => body(c, a) as never });
  return runLocalScript(script, ctx, [], args);
};

describe("the reference LocalContext (Redis command semantics)", () => {
  it("reads time like TIME: whole ms from now(), [seconds, microseconds] from time()", () => {
    const { ctx } = context();
    expect(ctx.now()).toBe(1_700_000_000_000);
    expect(ctx.time()).toEqual([1_700_000_000, 250]);
  });

  it("reports PTTL as -2 when missing, -1 without expiry, else whole ms left", () => {
    const { ctx, clock } = context();
    expect(ctx.pttl("k")).toBe(-2);
    ctx.set("k", "v", 1000);
    clock.advance(400.5);
    expect(ctx.pttl("k")).toBe(600);
    clock.advance(599.5); // exactly at the deadline: still there, as in Redis
    expect(ctx.pttl("k")).toBe(0);
    clock.advance(1);
    expect(ctx.pttl("k")).toBe(-2);
    expect(ctx.incr("n")).toBe(1);
    expect(ctx.pttl("n")).toBe(-1);
  });

  it("INCR keeps the key's TTL and accepts only canonical integers", () => {
    const { ctx, clock } = context();
    ctx.set("n", "10", 1000);
    clock.advance(300);
    expect(ctx.incr("n", 5)).toBe(15);
    expect(ctx.pttl("n")).toBe(700);
    for (const bad of ["abc", "1.5", " 1", "01", "-0", "", "+1"]) {
      ctx.set("bad", bad, 1000);
      expect(() => ctx.incr("bad")).toThrow("ERR value is not an integer");
    }
    ctx.set("big", String(Number.MAX_SAFE_INTEGER), 1000);
    expect(() => ctx.incr("big")).toThrow("not an integer or out of range");
  });

  it("PEXPIRE sets a new TTL only on an existing key", () => {
    const { ctx, clock } = context();
    expect(ctx.pexpire("missing", 100)).toBe(false);
    ctx.set("k", "v", 100);
    expect(ctx.pexpire("k", 5000)).toBe(true);
    clock.advance(1000);
    expect(ctx.get("k")).toBe("v");
  });

  it("setInteger writes what SET of its digits writes; getInteger reads it back without parsing", () => {
    const { ctx, clock } = context();
    ctx.setInteger?.("n", 1_234_567_890_123, 1000);
    expect(ctx.getInteger?.("n")).toBe(1_234_567_890_123);
    expect(ctx.get("n")).toBe("1234567890123");
    clock.advance(400);
    expect(ctx.pttl("n")).toBe(600);
    expect(ctx.incr("n", 7)).toBe(1_234_567_890_130);
    expect(ctx.getInteger?.("n")).toBe("1234567890130"); // INCR wrote a string
    expect(ctx.pttl("n")).toBe(600);
    ctx.set("s", "12", 1000);
    expect(ctx.getInteger?.("s")).toBe("12");
    expect(ctx.getInteger?.("missing")).toBeUndefined();
    ctx.setInteger?.("n", -5, 1000);
    expect(() => ctx.getData("n")).toThrow("WRONGTYPE");
    ctx.setData("log", new Map(), 1000);
    expect(() => ctx.getInteger?.("log")).toThrow("WRONGTYPE");
    for (const bad of [1.5, Number.NaN, 2 ** 53]) {
      expect(() => ctx.setInteger?.("b", bad, 1000)).toThrow("ERR value is not an integer");
    }
    expect(() => ctx.setInteger?.("b", 1, 0)).toThrow("ttlMs must be a positive finite number");
  });

  it("setInteger on a keyspace that keeps strings only writes the string", () => {
    const clock = createManualClock(1000);
    const inner = memoryKeyspace(clock);
    const { read, write, remove, remainingTtl } = inner;
    const ctx = createLocalContext({ read, write, remove, remainingTtl }, clock);
    ctx.setInteger?.("n", 42, 1000);
    expect(ctx.getInteger?.("n")).toBe("42");
    expect(inner.readInteger?.("n")).toBe("42");
  });

  it("keeps structured values apart from strings (WRONGTYPE both ways)", () => {
    const { ctx } = context();
    ctx.setData("log", new Map([["a", 1]]), 1000);
    expect(ctx.getData<Map<string, number>>("log")?.get("a")).toBe(1);
    expect(() => ctx.get("log")).toThrow("WRONGTYPE");
    ctx.set("s", "v", 1000);
    expect(() => ctx.getData("s")).toThrow("WRONGTYPE");
    expect(() => ctx.set("k", "v", 0)).toThrow("ttlMs must be a positive finite number");
  });
});

describe("runLocalScript", () => {
  it("passes arguments as strings, as Redis ARGV", () => {
    expect(run((_ctx, args) => args.join("|"), [1, "two", 3.5])).toBe("1|two|3.5");
  });

  it("converts replies the way Redis converts Lua values", () => {
    expect(run(() => 3.9)).toBe(3);
    expect(run(() => -3.9)).toBe(-3);
    expect(run(() => true)).toBe(1);
    expect(run(() => false)).toBeNull();
    expect(run(() => undefined)).toBeNull();
    expect(run(() => [1.5, "a", null, [true]])).toEqual([1, "a", null, [1]]);
    // A reply of integers only is passed on as it is, except -0, which Redis replies as 0.
    expect(run(() => [3, -4, 1_700_000_000_000])).toEqual([3, -4, 1_700_000_000_000]);
    expect(Object.is((run(() => [-0, 2]) as number[])[0], 0)).toBe(true);
  });

  it("hands back a script's reply unconverted when the script declares integer replies", () => {
    const reply = [1, 1_700_000_000_000, 0];
    const declared = defineScript({ name: "i", lua: "return 1", local: () => reply, integerReply: true });
    const plain = defineScript({ name: "p", lua: "return 1", local: () => reply });
    expect([declared.integerReply, plain.integerReply]).toEqual([true, false]);
    const { ctx } = context();
    expect(runLocalScript(declared, ctx, [], [])).toBe(reply);
    expect(runLocalScript(plain, ctx, [], [])).toEqual(reply);
    // Nothing is scanned: a declared reply that breaks its promise comes back as it is, on the
    // reference context and on a copy of it; undeclared, it is converted as Redis converts it.
    const broken = (integerReply: boolean) =>
      defineScript({ name: "b", lua: "return 1", local: () => [1.5], integerReply });
    expect(runLocalScript(broken(true), ctx, [], [])).toEqual([1.5]);
    expect(runLocalScript(broken(true), { ...ctx }, [], [])).toEqual([1.5]);
    expect(runLocalScript(broken(false), ctx, [], [])).toEqual([1]);
  });

  it("turns failures into ScriptError naming the script", () => {
    expect(() => run(() => ({ not: "a reply" }))).toThrow(ScriptError);
    expect(() => run(() => Promise.resolve(1))).toThrow("must be synchronous");
    expect(() => run(() => Number.NaN)).toThrow(ScriptError);
    expect(() =>
      run((ctx) => {
        ctx.set("s", "x", 1000);
        return ctx.incr("s");
      }),
    ).toThrow('script "t": ERR value is not an integer or out of range');
  });

  it("reads the clock once per script: its time stands still while it runs, and its TTLs count from it", () => {
    let reading = 1_700_000_000_000.5;
    const clock = { now: () => (reading += 7) }; // every reading is 7 ms after the last
    const keyspace = memoryKeyspace(clock);
    const handed: (number | undefined)[] = [];
    const spied: LocalKeyspace = {
      ...keyspace,
      write(key, value, ttlMs, now) {
        handed.push(now);
        keyspace.write(key, value, ttlMs, now);
      },
    };
    const ctx = createLocalContext(spied, clock);
    const script = defineScript({
      name: "t",
      lua: "return 1",
      local(c) {
        const first = c.now();
        c.set("k", "v", 1000);
        const [seconds, micros] = c.time();
        return [first, c.now(), seconds * 1000 + Math.floor(micros / 1000)];
      },
    });
    const [first, again, fromTime] = runLocalScript(script, ctx, [], []) as number[];
    expect([again, fromTime]).toEqual([first, first]);
    expect(handed).toEqual([1_700_000_000_007.5]); // the keyspace is handed the script's reading
    // The next script reads the clock again; outside a script, every reading is new.
    expect((runLocalScript(script, ctx, [], []) as number[])[0]).toBeGreaterThan(first as number);
    expect(ctx.now()).toBeLessThan(ctx.now());
    // A script that throws ends its run all the same.
    const failing = defineScript({ name: "f", lua: "return 1", local: (c) => [c.now(), c.incr("k")] });
    expect(() => runLocalScript(failing, ctx, [], [])).toThrow(ScriptError);
    expect(ctx.now()).toBeLessThan(ctx.now());
  });

  it("hands every command the script's time, even one that runs before the body reads the time", () => {
    let reading = 1_700_000_000_000.5;
    const clock = { now: () => (reading += 7) };
    const keyspace = memoryKeyspace(clock);
    const handed: (number | undefined)[] = [];
    const spied: LocalKeyspace = {
      ...keyspace,
      read(key, now) {
        handed.push(now);
        return keyspace.read(key, now);
      },
    };
    const ctx = createLocalContext(spied, clock);
    const script = defineScript({
      name: "t",
      lua: "return 1",
      local: (c) => [c.get("k") === undefined ? 0 : 1, c.now()],
    });
    const [, time] = runLocalScript(script, ctx, [], []) as number[];
    // The read came first, yet saw the script's time (Redis reads it once, as the script starts).
    expect(handed).toEqual([1_700_000_000_007.5]);
    expect(time).toBe(1_700_000_000_007);
    // Outside a script the keyspace is handed no time: it reads the clock when it needs to.
    ctx.get("k");
    expect(handed[1]).toBeUndefined();
  });

  it("a clock that fails fails the script with its own error, and leaves the context as it was", () => {
    let failing = false;
    const clock = {
      now: () => {
        if (failing) throw new Error("clock down");
        return 1_700_000_000_000;
      },
    };
    const ctx = createLocalContext(memoryKeyspace(clock), clock);
    const script = defineScript({ name: "t", lua: "return 1", local: (c) => c.get("k") ?? 0 });
    failing = true;
    expect(() => runLocalScript(script, ctx, [], [])).toThrow(/^clock down$/);
    failing = false;
    expect(runLocalScript(script, ctx, [], [])).toBe(0);
    expect(ctx.now()).toBe(1_700_000_000_000);
  });

  it("runs on a copy of a context with a command overridden, its time still frozen, as on the context", () => {
    let reading = 1_700_000_000_000.5;
    const clock = { now: () => (reading += 7) };
    const ctx = createLocalContext(memoryKeyspace(clock), clock);
    const deleted: string[] = [];
    const copy = { ...ctx, delete: (key: string) => deleted.push(key) > 0 };
    const inherited = Object.assign(Object.create(ctx) as typeof ctx, { pttl: () => 42 });
    const script = defineScript({
      name: "t",
      lua: "return 1",
      local(c, keys) {
        const first = c.now();
        c.set(keys[0] as string, "v", 1000);
        return [first, c.now(), c.delete(keys[0] as string) ? 1 : 0, c.pttl(keys[0] as string)];
      },
    });
    const [first, again, removed, pttl] = runLocalScript(script, copy, ["k"], []) as number[];
    expect(again).toBe(first); // frozen, though the clock moves on every reading
    expect([removed, deleted]).toEqual([1, ["k"]]); // the copy's own delete ran
    expect(pttl).toBeGreaterThan(0); // the key is still there: the original delete never ran
    expect((runLocalScript(script, inherited, ["j"], []) as number[])[3]).toBe(42);
    const { now } = ctx; // a destructured command works on its own
    expect(now()).toBeGreaterThan(first as number);
  });

  it("computes each script's SHA1 from its Lua body", () => {
    const script = defineScript({ name: "x", lua: "return 1", local: () => 1 });
    expect(script.sha1).toBe(createHash("sha1").update("return 1").digest("hex"));
    expect(Object.isFrozen(script)).toBe(true);
  });
});

describe("generation scripts", () => {
  it("create a missing generation from the clock in microseconds, and renew its TTL", () => {
    const { ctx, clock } = context();
    const created = runLocalScript(readGenerationScript, ctx, ["g"], [10_000]);
    expect(created).toBe("1700000000000250");
    clock.advance(6000);
    expect(runLocalScript(readGenerationScript, ctx, ["g"], [10_000])).toBe(created);
    expect(ctx.pttl("g")).toBe(10_000); // less than half was left: renewed
    clock.advance(1000);
    runLocalScript(readGenerationScript, ctx, ["g"], [10_000]);
    expect(ctx.pttl("g")).toBe(9000); // more than half left: untouched
  });

  it("bump always moves forward, even twice within one microsecond", () => {
    const { ctx, clock } = context();
    const first = Number(runLocalScript(bumpGenerationScript, ctx, ["g"], [10_000]));
    const second = Number(runLocalScript(bumpGenerationScript, ctx, ["g"], [10_000]));
    clock.advance(5);
    const third = Number(runLocalScript(bumpGenerationScript, ctx, ["g"], [10_000]));
    expect(second).toBe(first + 1);
    expect(third).toBe(first + 5000);
  });
});
