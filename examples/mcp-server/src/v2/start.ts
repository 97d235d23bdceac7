import { McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { App } from "../app";
import { serveHttp, serveOpsPort } from "../http-server";
import { registerTools, SERVER_INFO } from "../tools";
import { v2HttpHandler } from "./http";

/**
 * SDK v2 (`@modelcontextprotocol/server` 2.x): servers come from a factory, one per HTTP request
 * or one per stdio connection, and serve both protocol eras (2025 clients statelessly).
 */
export async function start(app: App): Promise<void> {
  const { config, shutdown, logger, ops } = app;
  const buildServer = () => registerTools(new McpServer(SERVER_INFO), app.tools);
  if (config.transport === "http") {
    await serveHttp(config, {
      ops,
      shutdown,
      logger,
      handleMcp: v2HttpHandler(buildServer, shutdown, logger),
    });
    return;
  }
  // The shutdown was created with `stdin: true`: the client closing stdin starts it, as SIGTERM does.
  const connection = serveStdio(buildServer, {
    onerror: (error) => logger.warn({ event: "mcp_stdio_error", err: error }, error.message),
  });
  shutdown.addTransport(connection);
  await serveOpsPort(config, ops, logger);
}
