import { type IncomingMessage, request } from "node:http";

const PROTOCOL_VERSION = "2025-11-25";

/** Initializes an MCP session with plain HTTP POSTs and returns its id. */
export async function openSession(port: number): Promise<string> {
  const initialize = await post(port, undefined, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: "test", version: "1.0.0" },
    },
  });
  const sessionId = initialize.headers.get("mcp-session-id");
  await initialize.text();
  if (!initialize.ok || sessionId === null)
    throw new Error(`initialize failed with HTTP ${initialize.status}`);
  const initialized = await post(port, sessionId, { jsonrpc: "2.0", method: "notifications/initialized" });
  await initialized.text();
  return sessionId;
}

/**
 * Opens the session's server→client event stream (GET, `Accept: text/event-stream`) and holds
 * it open. Resolves once the server answered with the stream's headers.
 */
export function openEventStream(port: number, sessionId: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "GET",
        headers: {
          accept: "text/event-stream",
          "mcp-session-id": sessionId,
          "mcp-protocol-version": PROTOCOL_VERSION,
        },
      },
      resolve,
    );
    req.once("error", reject);
    req.end();
  });
}

function post(port: number, sessionId: string | undefined, message: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": PROTOCOL_VERSION,
      ...(sessionId === undefined ? {} : { "mcp-session-id": sessionId }),
    },
    body: JSON.stringify(message),
  });
}
