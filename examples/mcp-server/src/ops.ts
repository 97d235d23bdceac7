import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Health } from "@mcp-persist/health";
import type { Registry } from "prom-client";

/** The operator's endpoints: `/livez`, `/readyz`, `/health` and `/metrics`. */
export interface Ops {
  /** Answers an operator's request and returns true, or returns false and leaves `res` alone. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createOps(health: Health, registry: Registry): Ops {
  return {
    handle(req, res) {
      if (health.handleNode(req, res)) return true;
      if (new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") return false;
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(error)}\n`),
      );
      return true;
    },
  };
}

/**
 * The operator's endpoints on a port of their own (`HEALTH_PORT`). This server is not given to
 * the shutdown: `/livez` keeps answering 200 until the process exits, while `/readyz` turns 503
 * at the first signal (see @mcp-persist/shutdown's README, "Probes: liveness on its own port").
 */
export async function listenOps(ops: Ops, host: string, port: number): Promise<number> {
  const server = createServer((req, res) => {
    if (!ops.handle(req, res)) res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(port, host, () => resolve());
  });
  // Never what keeps the process alive: the MCP transport and the store are.
  server.unref();
  return (server.address() as AddressInfo).port;
}
