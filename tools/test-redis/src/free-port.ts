import { createServer } from "node:net";

/**
 * A loopback TCP port that was free a moment ago (bind port 0, read it, close).
 * Another process can take it before the caller binds it; `startRedis` retries once for that.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}
