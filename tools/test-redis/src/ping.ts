import { connect } from "node:net";

/**
 * Sends one RESP command on a fresh, short-lived connection and resolves with the reply text
 * once `complete(reply)` says it is whole, or `undefined` on refusal, reset, or no answer
 * within `timeoutMs` (what a SIGSTOPped server looks like: the kernel accepts, nobody replies).
 */
function exchange(
  port: number,
  command: string[],
  complete: (reply: string) => boolean,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (result: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      socket.write(`*${command.length}\r\n${command.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join("")}`);
    });
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (reply.startsWith("-") || complete(reply)) finish(reply);
    });
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
  });
}

/** One PING on a fresh connection: true on `+PONG`, false otherwise (including a timeout). */
export async function pingRedis(port: number, timeoutMs = 1000): Promise<boolean> {
  const reply = await exchange(port, ["PING"], (text) => text.includes("\r\n"), timeoutMs);
  return reply?.startsWith("+PONG") ?? false;
}

/**
 * The pid of the redis-server answering on `port` (from `INFO server`), or undefined when
 * nothing answers. Used at start-up so a server that grabbed our port first is never taken
 * for ours.
 */
export async function answeringRedisPid(port: number, timeoutMs: number): Promise<number | undefined> {
  const pidLine = /process_id:(\d+)\r\n/;
  const reply = await exchange(port, ["INFO", "server"], (text) => pidLine.test(text), timeoutMs);
  const pid = reply?.match(pidLine)?.[1];
  return pid === undefined ? undefined : Number(pid);
}
