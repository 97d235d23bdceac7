import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Shutdown } from "@mcp-persist/shutdown";
import type { Config } from "./config";
import type { Logger } from "./logger";
import { listenOps, type Ops } from "./ops";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function hostnameOf(req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? ""}`).hostname;
  } catch {
    return "";
  }
}

/** What a SDK line plugs in: the handler of every request to `/mcp`. */
export type McpRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The HTTP server: streamable HTTP at `/mcp`, and the probes and `/metrics` on the same port
 * unless `HEALTH_PORT` gives them one of their own. Registered with the shutdown, which stops
 * it accepting, waits for its requests in flight and ends the connections left open.
 */
export async function serveHttp(
  config: Config,
  deps: { ops: Ops; shutdown: Shutdown; logger: Logger; handleMcp: McpRequestHandler },
): Promise<void> {
  const { ops, shutdown, logger, handleMcp } = deps;
  const sharedOps = config.healthPort === undefined;
  const checkHost = LOOPBACK.has(config.host);
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (pathname === "/mcp") {
      // Bound to loopback, the server answers only to loopback names: a web page the user opens
      // cannot reach it through DNS rebinding (a name of its own that resolves to 127.0.0.1).
      if (checkHost && !LOOPBACK.has(hostnameOf(req))) {
        res.writeHead(403, { "content-type": "text/plain" }).end("forbidden host\n");
        return;
      }
      handleMcp(req, res).catch((error: unknown) => {
        logger.error({ event: "mcp_request_failed", err: error }, "MCP request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (sharedOps && ops.handle(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  shutdown.addServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info(
    { event: "http_listening", port, url: `http://${config.host}:${port}/mcp`, sdk: config.sdk },
    `MCP server (SDK ${config.sdk}) on http://${config.host}:${port}/mcp`,
  );
  if (!sharedOps) await serveOpsPort(config, ops, logger);
}

/** Probes and `/metrics` on `HEALTH_PORT`, logged as `ops_listening` with the port bound. */
export async function serveOpsPort(config: Config, ops: Ops, logger: Logger): Promise<void> {
  if (config.healthPort === undefined) return;
  const port = await listenOps(ops, config.host, config.healthPort);
  logger.info(
    { event: "ops_listening", port },
    `probes and metrics on http://${config.host}:${port} (/livez /readyz /health /metrics)`,
  );
}
