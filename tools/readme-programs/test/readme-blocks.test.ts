import { describe, expect, it } from "vitest";
import { extractBlocks, guessKind } from "../src/readme-blocks";
import { listenPorts } from "../src/run-block";

const fence = "```";

describe("extractBlocks", () => {
  const readme = [
    "# pkg",
    `${fence}ts`,
    'import { a } from "a";',
    `${fence}`,
    "<!-- fragment: a handler body; `server` is the one above -->",
    `${fence}ts`,
    "return busyToolResult(result);",
    `${fence}`,
    "<!-- program: http-server -->",
    `${fence}js`,
    "startServer();",
    `${fence}`,
    `${fence}sh`,
    "npm install x",
    `${fence}`,
    "<!-- fragment -->",
    `${fence}typescript`,
    "half();",
    `${fence}`,
    `${fence}${fence[0]}md`,
    `${fence}ts`,
    "inside a longer fence: not a block of its own",
    `${fence}`,
    `${fence}${fence[0]}`,
  ].join("\n");
  const blocks = extractBlocks("packages/x/README.md", readme);

  it("finds ts and js blocks, with the line of their fence, and nothing else", () => {
    expect(blocks.map((b) => [b.line, b.lang, b.code])).toEqual([
      [2, "ts", 'import { a } from "a";'],
      [6, "ts", "return busyToolResult(result);"],
      [10, "js", "startServer();"],
      [17, "ts", "half();"],
    ]);
  });

  it("treats an unmarked block as a program", () => {
    expect(blocks[0]).toMatchObject({ fragment: undefined, kind: "script", markerError: undefined });
  });

  it("skips only blocks marked as fragments, with their reason", () => {
    expect(blocks[1]?.fragment).toBe("a handler body; `server` is the one above");
  });

  it("takes the kind from a program marker", () => {
    expect(blocks[2]).toMatchObject({ fragment: undefined, kind: "http-server" });
  });

  it("refuses a fragment marker without a reason: the block runs and fails with how to mark it", () => {
    expect(blocks[3]?.fragment).toBeUndefined();
    expect(blocks[3]?.markerError).toMatch(/<!-- fragment: <why it does not run> -->/);
  });
});

describe("guessKind", () => {
  it.each([
    ['import { test } from "vitest";', "vitest"],
    ["await server.connect(new StdioServerTransport());", "stdio-server"],
    ["createServer(handler).listen(3000);", "http-server"],
    ["console.log(await cache.wrap(key, fn));", "script"],
  ])("%s → %s", (code, kind) => {
    expect(guessKind(code)).toBe(kind);
  });
});

describe("listenPorts", () => {
  it.each([
    ["server.listen(3000);", [3000]],
    ["await health.listen({ port: 9000 });\nserver.listen(3000);", [9000, 3000]],
    ["app.listen({ host: '0.0.0.0', port: 8080 })", [8080]],
    ["listen()", []],
  ])("%s → %s", (code, ports) => {
    expect(listenPorts(code)).toEqual(ports);
  });
});
