import { describe } from "@mcp-persist/internal";
import { ShutdownRegistrationError } from "./errors";

/**
 * A `node:http` / `node:https` server, or anything shaped like one. When it is an event
 * emitter (node's servers are), its requests are watched too: see `Shutdown.addServer`.
 */
export interface HttpServerLike {
  close(callback?: (error?: Error) => void): unknown;
  /** Node ≥ 18.2: destroys every socket, including ones held by open event streams. */
  closeAllConnections?(): void;
}

export function assertHttpServerLike(server: unknown): HttpServerLike {
  if (typeof (server as Partial<HttpServerLike> | null)?.close !== "function") {
    throw new ShutdownRegistrationError(
      `addServer() needs a node:http server (anything with close(callback)), got ${describe(server)}`,
    );
  }
  return server as HttpServerLike;
}

/**
 * Stops `server` from accepting connections and resolves once its last connection has ended.
 * Node ≥ 19 also closes idle keep-alive sockets here; busy ones finish their requests, and
 * then close because their responses carry `Connection: close` (see `request-gate.ts`).
 */
export function stopAccepting(server: HttpServerLike): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      // A server that was never listening (or already closed) has nothing left to stop.
      if (error === undefined || (error as { code?: unknown }).code === "ERR_SERVER_NOT_RUNNING") resolve();
      else reject(error);
    });
  });
}

/**
 * Ends every connection still open on `server`. An MCP streamable-HTTP GET event stream never
 * ends on its own, so without this the promise from {@link stopAccepting} would never resolve.
 */
export function endConnections(server: HttpServerLike): void {
  server.closeAllConnections?.();
}
