import type { ServerResponse } from "node:http";

const isConnection = (name: string) => name.toLowerCase() === "connection";

/**
 * Makes `res` the last response on its connection: it goes out with `Connection: close`, so the
 * client opens a new connection for its next request (to another instance, once this one's
 * listener is closed), and Node closes the socket once the response is written.
 *
 * Setting the header once is not enough: a `Connection` header the application sets later wins,
 * and the MCP SDK sends `Connection: keep-alive` on every event-stream response. So on this one
 * response, any later `Connection` value is replaced by `close`. `writeHead(status, headers)`
 * goes through `setHeader` once a header has been set, so it is covered too.
 */
export function closeAfterResponse(res: ServerResponse): void {
  if (res.headersSent) return;
  const { setHeader, appendHeader } = res;
  res.setHeader("connection", "close");
  res.setHeader = (name, value) => setHeader.call(res, name, isConnection(name) ? "close" : value);
  res.appendHeader = (name, value) =>
    isConnection(name) ? res.setHeader(name, "close") : appendHeader.call(res, name, value);
}
