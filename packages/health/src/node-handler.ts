import type { IncomingMessage, ServerResponse } from "node:http";
import { type HealthResponse, type Respond, textResponse } from "./endpoint-responses";
import { errorText } from "./error-text";

/** `(req, res, next?)`: a connect/express middleware and a plain node:http listener in one. */
export type NodeHealthHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

function pathnameOf(url: string | undefined): string {
  const raw = url ?? "/";
  // A request line may carry the absolute form (`GET http://host/livez`, which HTTP/1.1 servers
  // must accept): its path is what the Fetch handler would match too.
  if (!raw.startsWith("/")) return absolutePathname(raw);
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
}

function absolutePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url; // not a URL either (`*`, junk): no endpoint matches it
  }
}

function write(res: ServerResponse, method: string, response: HealthResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    "content-length": String(Buffer.byteLength(response.body)),
  });
  res.end(method === "HEAD" ? undefined : response.body);
}

/**
 * Answers a health request on `res` and returns true, or returns false without touching `res`
 * when the path is not a health endpoint (the caller routes it elsewhere).
 */
export function handleNodeRequest(respond: Respond, req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "GET";
  const pending = respond(method, pathnameOf(req.url));
  if (pending === undefined) return false;
  pending.then(
    (response) => write(res, method, response),
    // Checks never reject; this guards against a throwing `shutdown.isShuttingDown()` and the
    // like, so no probe is left without an answer.
    (error: unknown) => write(res, method, textResponse(500, `health handler error: ${errorText(error)}`)),
  );
  return true;
}

/** Unknown paths go to `next()` when there is one (express, connect), else get a 404. */
export function createNodeHandler(respond: Respond): NodeHealthHandler {
  return (req, res, next) => {
    if (handleNodeRequest(respond, req, res)) return;
    if (next !== undefined) return next();
    write(res, req.method ?? "GET", textResponse(404, "not found"));
  };
}
