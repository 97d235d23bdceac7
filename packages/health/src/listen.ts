import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, given as orDefault } from "@mcp-persist/internal";
import { InvalidOptionError } from "./errors";
import type { NodeHealthHandler } from "./node-handler";
import { optionalString, optionsObject } from "./validate-options";

export interface HealthListenOptions {
  /**
   * TCP port; 0 picks a free one (read it back from `port` on the result).
   * @default 0
   */
  port?: number;
  /**
   * Interface to bind. Kubernetes probes come from the kubelet to the pod IP, so the
   * default is Node's: every interface.
   * @default undefined (all interfaces)
   */
  host?: string;
}

/** The health endpoints on their own port. */
export interface HealthServer {
  readonly server: Server;
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  /** Stops listening and ends open (keep-alive) probe connections. */
  close(): Promise<void>;
}

export async function listenHealth(
  handler: NodeHealthHandler,
  options: HealthListenOptions,
): Promise<HealthServer> {
  const given = optionsObject("listen() options", options, ["port", "host"]);
  const port = orDefault(given.port, 0);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidOptionError(`listen(): port must be an integer from 0 to 65535, got ${describe(port)}`);
  }
  const host = optionalString("listen(): host", given.host);
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Kept-alive probe connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
