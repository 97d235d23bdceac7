import { describeValue } from "@mcp-persist/keys";
import { invalidOption } from "./errors";

const WORDS = {
  registerTool: { thing: "tool", config: "{ description, inputSchema }", callback: "the handler" },
  registerResource: { thing: "resource", config: "{ mimeType }", callback: "the read callback" },
} as const;

/**
 * The arguments every registration takes, checked before anything else: a JavaScript caller's
 * mistake (arguments in the SDK's order, without the server) names itself.
 * @throws {InvalidOptionError} naming the argument.
 */
export function checkRegistration(
  method: keyof typeof WORDS,
  server: unknown,
  name: unknown,
  config: unknown,
  callback: unknown,
): void {
  const words = WORDS[method];
  if (typeof (server as Record<string, unknown> | undefined)?.[method] !== "function") {
    throw invalidOption(`${method}() takes the SDK's McpServer first, got ${describeValue(server)}`);
  }
  if (typeof name !== "string" || name.length === 0) {
    throw invalidOption(`${method}() takes the ${words.thing}'s name second, got ${describeValue(name)}`);
  }
  if (typeof config !== "object" || config === null) {
    throw invalidOption(
      `${name}: the config must be an object such as ${words.config}, got ${describeValue(config)}`,
    );
  }
  if (typeof callback !== "function") {
    throw invalidOption(`${name}: ${words.callback} must be a function, got ${describeValue(callback)}`);
  }
}
