import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { type JsonSchema, sampleArguments } from "./sample-arguments";

/** Bounds each MCP request, so a server that never answers fails the test with a message. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * What a model's client does with a new server: lists its tools and calls each one once, with
 * arguments that satisfy its input schema. Returns the problems found (none: the server works).
 */
export async function exerciseTools(client: Client): Promise<string[]> {
  const problems: string[] = [];
  const { tools } = await client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
  if (tools.length === 0) problems.push("the server lists no tools");
  for (const tool of tools) {
    const args = sampleArguments(tool.inputSchema as JsonSchema) as Record<string, unknown>;
    try {
      const result = await client.callTool({ name: tool.name, arguments: args }, undefined, {
        timeout: REQUEST_TIMEOUT_MS,
      });
      if (result.isError === true) {
        problems.push(
          `tool ${tool.name}(${JSON.stringify(args)}) returned an error: ${JSON.stringify(result.content)}`,
        );
      }
    } catch (error) {
      problems.push(`tool ${tool.name}(${JSON.stringify(args)}) failed: ${(error as Error).message}`);
    }
  }
  return problems;
}

export function newClient(): Client {
  return new Client({ name: "readme-programs", version: "1.0.0" });
}
