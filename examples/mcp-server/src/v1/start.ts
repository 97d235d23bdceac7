import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { App } from "../app";
import { serveHttp, serveOpsPort } from "../http-server";
import { registerTools, SERVER_INFO } from "../tools";
import { v1HttpHandler } from "./http";

/** SDK v1 (`@modelcontextprotocol/sdk` 1.x): a server per HTTP session, or one for stdio. */
export async function start(app: App): Promise<void> {
  const { config, shutdown, logger, ops } = app;
  const buildServer = () => registerTools(new McpServer(SERVER_INFO), app.tools);
  if (config.transport === "http") {
    await serveHttp(config, { ops, shutdown, logger, handleMcp: v1HttpHandler(buildServer, shutdown) });
    return;
  }
  // The shutdown was created with `stdin: true`: the client closing stdin starts it, as SIGTERM does.
  const transport = new StdioServerTransport();
  shutdown.addTransport(transport);
  await buildServer().connect(transport);
  await serveOpsPort(config, ops, logger);
}
