import type { RedisClientAdapter } from "@mcp-persist/cache-core/redis";
import { ReplyError } from "ioredis";
import type { IoredisClient } from "./ioredis-client";
import { openIoredisSubscriber, publishIoredis } from "./ioredis-subscriber";
import { OnceWrittenScript } from "./once-written-script";

function noop(): void {}

/** Maps the store's few commands onto an ioredis `Redis` or `Cluster`. */
export function ioredisAdapter<C extends IoredisClient>(client: C): RedisClientAdapter<C> {
  return {
    client,
    cluster: client.isCluster === true,
    isReady: () => client.status === "ready",
    onReady(listener) {
      client.once("ready", listener);
      // A lazyConnect client connects on its first command; the store sends none until it is ready.
      if (client.status === "wait") client.connect().catch(noop);
      return () => client.off("ready", listener);
    },
    get: (key) => client.get(key),
    set: (key, value, ttlMs) => client.set(key, value, "PX", ttlMs),
    del: (key) => client.del(key),
    evalScript(command, body, keys, args, call) {
      // The client's keyPrefix goes on KEYS exactly as on GET/SET/DEL, never on ARGV.
      const script = new OnceWrittenScript(
        command,
        [body, keys.length, ...keys, ...args],
        client.options.keyPrefix,
        call,
      );
      client.sendCommand(script);
      // Rejects by itself when a PING went out in the script's place (see OnceWrittenScript).
      return script.promise;
    },
    ping: () => client.ping(),
    publish: (channel, message) => publishIoredis(client, channel, message),
    openSubscriber: (events) => openIoredisSubscriber(client, events),
    isReplyError: (error) => error instanceof ReplyError,
    quit: () => quitIoredis(client),
    disconnect: () => client.disconnect(),
  };
}

/** Draining close: QUIT once pending replies are in, resolved when the connection has ended. */
async function quitIoredis(client: IoredisClient): Promise<void> {
  if (client.status === "ready") {
    let ended = noop;
    const end = new Promise<void>((resolve) => (ended = resolve));
    client.once("end", ended);
    if (
      await client.quit().then(
        () => true,
        () => false,
      )
    )
      return end;
    client.off("end", ended);
  }
  // Not connected, or the QUIT failed (the server went away meanwhile): nothing is left to drain,
  // and a QUIT would wait in (or be refused by) the offline queue while the client reconnected
  // for ever. This only stops the reconnecting.
  if (client.status !== "end") client.disconnect();
}
