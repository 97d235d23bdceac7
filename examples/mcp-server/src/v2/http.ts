import type { Shutdown } from "@mcp-persist/shutdown";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, InMemoryServerEventBus, type McpServer } from "@modelcontextprotocol/server";
import { attachDemoAuth } from "../demo-auth";
import type { McpRequestHandler } from "../http-server";
import type { Logger } from "../logger";

/**
 * SDK v2 streamable HTTP: `createMcpHandler` builds a server per request (no sessions; 2025-era
 * clients are served statelessly). Two handlers share one event bus: one serves the
 * `subscriptions/listen` streams, the other everything else. A listen stream is a POST that
 * stays open, so the shutdown would count it as work in flight and wait for it until its drain
 * timeout; instead, when the drain begins, the listen handler is closed, which ends each stream
 * with its graceful final message (closed, not drained), while the tool calls in flight on the
 * other handler finish. `close-transports` then closes the other handler.
 */
export function v2HttpHandler(
  buildServer: () => McpServer,
  shutdown: Shutdown,
  logger: Logger,
): McpRequestHandler {
  const onerror = (error: Error) => logger.debug({ event: "mcp_http_error", err: error }, error.message);
  const bus = new InMemoryServerEventBus(onerror);
  const calls = createMcpHandler(buildServer, { bus, onerror });
  const listens = createMcpHandler(buildServer, { bus, onerror });
  shutdown.on("drain", () => listens.close());
  shutdown.addTransport(calls);
  const serveCall = toNodeHandler(calls, { onerror });
  const serveListen = toNodeHandler(listens, { onerror });
  return (req, res) => {
    attachDemoAuth(req);
    // The 2026-07-28 revision requires the Mcp-Method header on every request POST.
    return req.headers["mcp-method"] === "subscriptions/listen" ? serveListen(req, res) : serveCall(req, res);
  };
}
