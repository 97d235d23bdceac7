import { afterEach, expect, it } from "vitest";
import { startFixture, stopFixtures } from "./support/fixture-process";

afterEach(stopFixtures);

const send = (stdin: NodeJS.WritableStream, message: unknown) => stdin.write(`${JSON.stringify(message)}\n`);

it("on a stdio server, stdin ending shuts down after answering the call in flight, logging only to stderr", async () => {
  const server = startFixture("mcp-stdio-server.mjs");
  const stdin = server.child.stdin;
  if (stdin === null) throw new Error("the fixture has no stdin pipe");
  send(stdin, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "test", version: "1.0.0" },
    },
  });
  await server.waitFor((message) => message.id === 1);
  send(stdin, { jsonrpc: "2.0", method: "notifications/initialized" });
  send(stdin, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slow", arguments: {} } });
  await server.waitFor((line) => line.event === "tool-started", "stderr");
  stdin.end();
  const { code } = await server.exited;

  expect(code).toBe(0);
  expect(server.events).toContainEqual(
    expect.objectContaining({
      id: 2,
      result: expect.objectContaining({ content: [{ type: "text", text: "done" }] }),
    }),
  );
  // stdout carried the protocol and nothing else.
  expect(server.other.stdout).toEqual([]);
  expect(server.events.every((message) => message.jsonrpc === "2.0")).toBe(true);
  expect(server.logs).toContainEqual(
    expect.objectContaining({ msg: "shutdown started (stdin ended)", inFlight: 1 }),
  );
  expect(server.logs.at(-1)).toMatchObject({ msg: "shutdown finished; exiting with code 0" });
});
