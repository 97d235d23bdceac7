import { createLocalContext, memoryKeyspace, runLocalScript } from "@mcp-persist/cache-core/kit";
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { expect, it } from "vitest";
import { algorithms } from "../src/algorithms";
import { SPAN } from "../src/sliding-window-counter";
import { SERVER_NOW_LUA } from "./support/injected-time";

// The SHA1 of every script and the agreement of its Lua and JS bodies are checked for every
// package at once by tools/test-kit (script-sha1.test.ts, parity.test.ts). What stays here is
// particular to this package's scripts.

const everyScript = Object.values(algorithms).flatMap((algorithm) => [algorithm.check, algorithm.refund]);

it("every script reads the server clock with the one TIME preamble the injected-time tests replace", () => {
  for (const script of everyScript) {
    const reads = script.lua.split("redis.call('TIME')").length - 1;
    expect(reads, script.name).toBeLessThanOrEqual(1);
    if (reads === 1) expect(script.lua, script.name).toContain(SERVER_NOW_LUA);
  }
  // Every script reads time: the checks to decide, the refunds to tell how much of a charge still
  // counts (the sliding window, whether its slot number still names the charge's count).
  expect(everyScript.filter((script) => script.lua.includes(SERVER_NOW_LUA))).toHaveLength(6);
});

it("the sliding-window scripts pack counts with the JS twin's SPAN", () => {
  for (const script of [algorithms["sliding-window"].check, algorithms["sliding-window"].refund]) {
    expect(script.lua, script.name).toContain(`local SPAN = ${SPAN}\n`);
  }
});

it("every KEYS[...] and ARGV[...] a script reads is described in its header comment", () => {
  for (const script of everyScript) {
    const header = script.lua.split("\n").filter((line) => line.startsWith("-- "));
    const described = header.join("\n");
    expect(described, script.name).toMatch(/-- KEYS/);
    expect(described, script.name).toMatch(/-- ARGV\[1\]/);
    expect(described, script.name).toMatch(/-- Returns/);
  }
});

it("the sliding-window JS twin writes the same counters on a context without getInteger and setInteger", () => {
  const clock = createManualClock(1_700_000_000_000);
  const full = createLocalContext(memoryKeyspace(clock), clock);
  const { read, write, remove, remainingTtl } = memoryKeyspace(clock);
  const plain = createLocalContext({ read, write, remove, remainingTtl }, clock);
  const { getInteger: _get, setInteger: _set, ...strings } = plain; // the string commands only
  const check = algorithms["sliding-window"].check;
  // Charges in one slot (one under another window whose slot numbers agree at this time, as after
  // a deploy that changes it), into the next slot, a denial, and past both slots.
  const steps: [advanceMs: number, limit: number, windowMs: number][] = [
    [0, 5, 1000],
    [5, 5, 700],
    [10, 5, 1000],
    [300, 5, 1000],
    [800, 5, 1000],
    [0, 2, 1000],
    [3000, 5, 1000],
  ];
  for (const [advanceMs, limit, windowMs] of steps) {
    clock.advance(advanceMs);
    const replies = [full, strings].map((ctx) => runLocalScript(check, ctx, ["k"], [1, limit, windowMs, 1]));
    expect(replies[1]).toEqual(replies[0]);
    expect([strings.get("k"), strings.pttl("k")]).toEqual([full.get("k"), full.pttl("k")]);
  }
});
