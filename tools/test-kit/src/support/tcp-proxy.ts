import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

/** A loopback TCP proxy in front of a Redis server, able to drop its clients' side of every connection. */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /**
   * Drops every client connection as a network failure would, but keeps the proxy's connections
   * to the server open: a command already delivered to a frozen server still runs once it thaws,
   * while its client never sees the reply. That is the moment a client may re-send it.
   */
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const clients = new Set<Socket>();
  const upstreams = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    clients.add(client);
    upstreams.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", () => client.destroy());
    upstream.on("error", () => upstream.destroy());
    client.on("close", () => clients.delete(client));
    upstream.on("close", () => {
      upstreams.delete(upstream);
      client.destroy();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut() {
      for (const client of clients) client.destroy();
      for (const upstream of upstreams) {
        upstream.unpipe();
        upstream.resume(); // read and drop late replies
      }
    },
    async close() {
      for (const socket of [...clients, ...upstreams]) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
