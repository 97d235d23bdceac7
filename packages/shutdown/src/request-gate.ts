import type { IncomingMessage, ServerResponse } from "node:http";
import { closeAfterResponse } from "./close-after-response";
import type { InFlight } from "./in-flight";

/**
 * Watches the requests of every server given to `addServer`, so that nobody has to wire them:
 *
 * - each request is in-flight work until its response closes, and `drain` waits for it;
 * - from the first signal on, responses carry `Connection: close`: kept-alive connections end
 *   one by one as their current response is written, instead of carrying new requests forever;
 * - once the servers stop accepting, a request that still arrives on a connection they hold is
 *   answered `503` with `Connection: close` rather than served. Served, it would count as new
 *   work and hold the drain open (busy MCP clients on fetch/undici never leave a connection idle),
 *   until the drain ran out and ending the connections reset it mid-flight.
 */
export interface RequestGate {
  /** Starts watching `server`'s requests; returns the undo. Anything that is not an event emitter is left alone. */
  attach(server: object): () => void;
  /** The shutdown began: every response from now on, and every one not yet started, closes its connection. */
  closeConnections(): void;
  /** The servers stopped accepting: requests arriving on the connections they hold get a 503. */
  refuseRequests(): void;
}

// The events through which a node:http server hands a request to the application.
const REQUEST_EVENTS: ReadonlySet<string | symbol> = new Set([
  "request",
  "checkContinue",
  "checkExpectation",
]);

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

export function createRequestGate(inFlight: InFlight): RequestGate {
  let stage: "serving" | "closing" | "refusing" = "serving";
  // Responses not yet closed, to mark those already under way when the shutdown begins.
  const open = new Set<ServerResponse>();

  // False when the request was answered here and must not reach the application.
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (stage === "refusing") {
      refuse(res);
      return false;
    }
    open.add(res);
    const leave = isEventStream(req) ? undefined : inFlight.enter();
    res.once("close", () => {
      open.delete(res);
      leave?.();
    });
    if (stage === "closing") closeAfterResponse(res);
    return true;
  };

  return {
    attach(server) {
      const target = server as { emit?: unknown };
      if (typeof target.emit !== "function") return () => {};
      const emit = target.emit as Emit;
      const hadOwnEmit = Object.hasOwn(server, "emit");
      let attached = true;
      // node:http calls `server.emit("request", req, res)` on the instance: wrapping it there is
      // the one place that sees every request before any listener does, and can keep one from
      // reaching them. (A 'request' listener of our own could count, but never refuse.)
      const gated: Emit = function (this: unknown, event, ...args) {
        if (attached && REQUEST_EVENTS.has(event)) {
          if (!admit(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
        }
        return emit.call(this, event, ...args);
      };
      target.emit = gated;
      return () => {
        attached = false;
        if (target.emit !== gated) return; // wrapped again since: stay in place, passing through
        if (hadOwnEmit) target.emit = emit;
        else delete target.emit;
      };
    },
    closeConnections() {
      if (stage !== "serving") return;
      stage = "closing";
      for (const res of open) closeAfterResponse(res);
    },
    refuseRequests() {
      stage = "refusing";
    },
  };
}

/**
 * A request that opens a server→client stream lasting as long as the client listens: a GET asking
 * for `text/event-stream` (the MCP streamable-HTTP GET of SDK v1, the legacy SSE transport), or
 * the POST of an SDK v2 `subscriptions/listen` (protocol 2026-07-28; the client names the method
 * in its `Mcp-Method` header). It is ended in `close-transports`, not waited for: it never ends
 * by itself.
 */
function isEventStream(req: IncomingMessage): boolean {
  if (req.method === "POST") return req.headers["mcp-method"] === "subscriptions/listen";
  return req.method === "GET" && (req.headers.accept ?? "").toLowerCase().includes("text/event-stream");
}

function refuse(res: ServerResponse): void {
  const body = "shutting down\n";
  res.writeHead(503, {
    connection: "close",
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}
