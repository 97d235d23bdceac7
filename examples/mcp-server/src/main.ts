import { createApp } from "./app";
import { ConfigError, readConfig } from "./config";

// The MCP server: `pnpm start` (stdio) or `pnpm start:http` (streamable HTTP at /mcp).
// Environment: MCP_SDK=v1|v2, PORT, HEALTH_PORT, HOST, REDIS_URL, STORE, MCP_CALLER (see config.ts).
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`[mcp-server example] ${error.message}\n`);
  process.exit(2);
}
const app = createApp(config);
// Each SDK line is loaded only when it serves: a v1 server never loads the v2 packages.
const line = config.sdk === "v1" ? await import("./v1/start") : await import("./v2/start");
await line.start(app);
