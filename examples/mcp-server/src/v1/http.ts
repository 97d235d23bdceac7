import { randomUUID } from "node:crypto";
import type { Shutdown } from "@mcp-persist/shutdown";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { attachDemoAuth } from "../demo-auth";
import type { McpRequestHandler } from "../http-server";

/**
 * SDK v1 streamable HTTP with sessions: one transport and one server per session, kept by
 * session id. Each transport is registered with the shutdown, whose `close-transports` phase
 * closes it, and with it the session's GET event stream (closed, not drained).
 */
export function v1HttpHandler(buildServer: () => McpServer, shutdown: Shutdown): McpRequestHandler {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return async (req, res) => {
    attachDemoAuth(req);
    const sessionId = req.headers["mcp-session-id"];
    let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (transport === undefined) {
      // A request for a session this process does not know: 404 tells the client to start anew.
      if (req.method !== "POST" || sessionId !== undefined) {
        res.writeHead(sessionId === undefined ? 400 : 404, { "content-type": "text/plain" });
        res.end(sessionId === undefined ? "initialize with a POST first\n" : "unknown session\n");
        return;
      }
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => {
          sessions.set(id, created);
        },
      });
      const unregister = shutdown.addTransport(created);
      created.onclose = () => {
        unregister();
        if (created.sessionId !== undefined) sessions.delete(created.sessionId);
      };
      await buildServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  };
}
