import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A real node:http server on 127.0.0.1, port 0. */
export async function serve(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Probe {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  text: string;
}

export async function probe(url: string, init?: RequestInit): Promise<Probe> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    cacheControl: response.headers.get("cache-control"),
    text: await response.text(),
  };
}

/** Polls `read` until `done` holds, bounded: the failure says what was last seen. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  withinMs = 8000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${withinMs} ms; last: ${JSON.stringify(last)}`);
    await sleep(50);
    last = await read();
  }
  return last;
}
