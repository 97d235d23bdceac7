import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { Readable } from "node:stream";
import { setTimeout } from "node:timers/promises";
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpTransportV2,
  specTypeSchemas,
} from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioTransportV2 } from "@modelcontextprotocol/client/stdio";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioTransportV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as HttpTransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { ChildPipeTransport } from "./pipe-transport";
import { EXAMPLE_DIR, LogReader, SERVER_ARGS } from "./server-process";

export type SdkLine = "v1" | "v2";
export const SDK_LINES: SdkLine[] = ["v1", "v2"];

/** What the tests read from a tool result, on either SDK line. */
export type ToolResult = {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
};

/** A real SDK client of either line, reduced to what the tests call. */
export interface TestClient {
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

// The v2 client speaks the 2026-07-28 revision only when asked (its default is the 2025 handshake).
const MODERN = { versionNegotiation: { mode: { pin: "2026-07-28" } } } as const;
const INFO = { name: "example-tests", version: "1.0.0" };

/** A v2 client that fell back to the 2025 handshake would test the v1-era path twice: refuse it. */
function assertModern(client: ClientV2): void {
  const version = client.getNegotiatedProtocolVersion();
  if (version !== MODERN.versionNegotiation.mode.pin) throw new Error(`the v2 client negotiated ${version}`);
}

function adapt(client: {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}): TestClient {
  return {
    callTool: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    close: () => client.close(),
  };
}

/** Connects over streamable HTTP; `token` becomes the caller's client id (the example's demo auth). */
export async function connectHttp(
  line: SdkLine,
  url: URL,
  token?: string,
): Promise<TestClient & { sessionId?: string; listen?(): Promise<{ closed: Promise<string> }> }> {
  const requestInit = token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } };
  if (line === "v1") {
    const client = new ClientV1(INFO);
    const transport = new HttpTransportV1(url, { requestInit });
    await client.connect(transport);
    return { ...adapt(client), sessionId: transport.sessionId };
  }
  const client = new ClientV2(INFO, MODERN);
  await client.connect(new HttpTransportV2(url, { requestInit }));
  assertModern(client);
  return {
    ...adapt(client),
    // Resolves once the server acknowledged the stream: it is open from then on.
    listen: async () => client.listen({ toolsListChanged: true }),
  };
}

/**
 * Spawns the server as an MCP client configuration would (`node --import tsx src/main.ts`, the
 * `start` script) through the SDK's own stdio transport; its stderr is read for log lines.
 */
export async function connectStdio(
  line: SdkLine,
  env: Record<string, string>,
): Promise<TestClient & { log: LogReader }> {
  const params = {
    command: process.execPath,
    args: SERVER_ARGS,
    cwd: EXAMPLE_DIR,
    env: { ...(process.env as Record<string, string>), MCP_SDK: line, ...env },
    stderr: "pipe" as const,
  };
  if (line === "v1") {
    const transport = new StdioTransportV1(params);
    const log = new LogReader(transport.stderr as Readable);
    const client = new ClientV1(INFO);
    await client.connect(transport).catch(withStderr(log));
    return { ...adapt(client), log };
  }
  const transport = new StdioTransportV2(params);
  const log = new LogReader(transport.stderr as Readable);
  const client = new ClientV2(INFO, MODERN);
  await client.connect(transport).catch(withStderr(log));
  assertModern(client);
  return { ...adapt(client), log };
}

/**
 * A connection that failed says what the server wrote to stderr, once it has had a moment to
 * arrive. (The v2 client probes the protocol era on a sibling process whose stderr it discards.)
 */
function withStderr(log: LogReader) {
  return async (error: unknown): Promise<never> => {
    await setTimeout(200);
    throw new Error(`${String(error)}; the server's stderr:\n${log.text()}`);
  };
}

/** Connects over the pipes of a child the test holds (see `ChildPipeTransport`); lists the tool names. */
export async function listToolsOverPipe(
  line: SdkLine,
  child: ChildProcessWithoutNullStreams,
): Promise<string[]> {
  const client = line === "v1" ? new ClientV1(INFO) : new ClientV2(INFO, MODERN);
  await client.connect(new ChildPipeTransport(child));
  if (client instanceof ClientV2) assertModern(client);
  const { tools } = await client.listTools();
  return tools.map((tool) => tool.name);
}

/** Throws unless `value` is a valid `CallToolResult` by the SDK line's own schema. */
export function assertCallToolResult(line: SdkLine, value: unknown): void {
  if (line === "v1") {
    CallToolResultSchema.parse(value);
    return;
  }
  const outcome = specTypeSchemas.CallToolResult["~standard"].validate(value);
  if (outcome instanceof Promise || outcome.issues !== undefined) {
    throw new Error(`not a CallToolResult: ${JSON.stringify(outcome)}`);
  }
}

/** The text of a result's first content block. */
export function textOf(result: ToolResult): string {
  return result.content[0]?.text ?? "";
}
