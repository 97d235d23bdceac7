import { expect, it } from "vitest";
import { algorithms } from "../src/algorithms";
import { SPAN } from "../src/sliding-window.lua";
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
