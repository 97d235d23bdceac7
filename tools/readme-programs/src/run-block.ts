import { createRequire } from "node:module";
import { createConnection } from "node:net";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { killIfRunning, type Program, programEnv, spawnNode } from "./child-process";
import { exerciseTools, newClient } from "./mcp-session";
import { packageDir, programPath } from "./program-files";
import type { ReadmeBlock } from "./readme-blocks";
import { ChildStdioTransport } from "./stdio-transport";

const require = createRequire(import.meta.url);

/** A script (or test file) runs to its end by itself; past this it hangs. */
const SCRIPT_TIMEOUT_MS = 60_000;
/** A server answers on its port, or finishes its shutdown, within this. */
const SERVER_TIMEOUT_MS = 30_000;
/** A stdio server exits after its stdin closes within this (the SDK's client waits 2 s, then kills). */
const STDIN_EXIT_TIMEOUT_MS = 10_000;

export interface RunContext {
  /** A real redis-server for the programs, as `REDIS_URL`. */
  redisUrl: string;
}

/**
 * Runs one README program the way its README says to, and returns what went wrong (nothing: it
 * works as written). Scripts run to their end; MCP servers on stdio are driven by an MCP client
 * and must exit when their stdin closes; HTTP servers get requests, then SIGTERM.
 */
export async function runBlock(block: ReadmeBlock, context: RunContext): Promise<string[]> {
  if (block.markerError !== undefined) return [block.markerError];
  const file = programPath(block);
  const env = programEnv({ REDIS_URL: context.redisUrl });
  switch (block.kind) {
    case "script":
      return runScript(spawnNode([...loader(block), file], { cwd: packageDir, env }));
    case "vitest": {
      const vitest = `${dirname(require.resolve("vitest/package.json"))}/vitest.mjs`;
      const args = [
        vitest,
        "run",
        "--root",
        dirname(file),
        "--config",
        "vitest.config.mjs",
        "--reporter",
        "dot",
      ];
      return runScript(spawnNode(args, { cwd: dirname(file), env }));
    }
    case "stdio-server":
      return runStdioServer(
        spawnNode([...loader(block), file], { cwd: packageDir, env, stdout: "protocol" }),
      );
    case "http-server":
      return runHttpServer(block, () => spawnNode([...loader(block), file], { cwd: packageDir, env }));
  }
}

/** TypeScript runs through tsx (transpile only; `tsc` checks the types separately). */
function loader(block: ReadmeBlock): string[] {
  return block.lang === "ts" ? ["--import", "tsx"] : [];
}

async function runScript(program: Program): Promise<string[]> {
  const exit = await program.exited(SCRIPT_TIMEOUT_MS);
  await killIfRunning(program);
  if (exit === "timeout") {
    return [`still running after ${SCRIPT_TIMEOUT_MS / 1000} s (close what it opened)\n${program.output()}`];
  }
  if (exit.code !== 0) return [`exited with ${describeExit(exit)}\n${program.output()}`];
  return [];
}

async function runStdioServer(program: Program): Promise<string[]> {
  const client = newClient();
  const problems: string[] = [];
  try {
    await withTimeout(
      client.connect(new ChildStdioTransport(program.child)),
      SERVER_TIMEOUT_MS,
      "initialize",
    );
    problems.push(...(await exerciseTools(client)));
  } catch (error) {
    problems.push(`MCP session failed: ${(error as Error).message}`);
  }
  // What every MCP client does when it is done: end the server's stdin.
  await client.close();
  const exit = await program.exited(STDIN_EXIT_TIMEOUT_MS);
  await killIfRunning(program);
  if (exit === "timeout") {
    problems.push(
      `did not exit within ${STDIN_EXIT_TIMEOUT_MS / 1000} s of its stdin closing (MCP clients then kill it): ` +
        "close what keeps the process alive (stores, clients) when the transport closes",
    );
  } else if (exit.code !== 0) {
    problems.push(`exited with ${describeExit(exit)} when its stdin closed`);
  }
  return problems.map((p) => `${p}\n${program.output()}`);
}

async function runHttpServer(block: ReadmeBlock, start: () => Program): Promise<string[]> {
  const ports = listenPorts(block.code);
  if (ports.length === 0) return ["no port found in `.listen(<port>)` or `listen({ port })`"];
  for (const port of ports) {
    if (await accepts(port))
      return [`port ${port} is already in use on this machine: cannot run the program as written`];
  }
  const program = start();
  const problems: string[] = [];
  try {
    for (const port of ports) {
      if (!(await waitForPort(program, port))) return [`never listened on port ${port}\n${program.output()}`];
    }
    const sessions: Client[] = [];
    problems.push(...(await exerciseHttp(block.code, ports, sessions)));
    program.child.kill("SIGTERM");
    const exit = await program.exited(SERVER_TIMEOUT_MS);
    for (const client of sessions) await client.close().catch(() => {});
    if (exit === "timeout") problems.push(`still running ${SERVER_TIMEOUT_MS / 1000} s after SIGTERM`);
    else if (exit.code !== 0 && exit.signal !== "SIGTERM")
      problems.push(`exited with ${describeExit(exit)} on SIGTERM`);
  } finally {
    await killIfRunning(program);
  }
  return problems.map((p) => `${p}\n${program.output()}`);
}

/**
 * The requests the program invites, on whichever of its ports serves them: its health endpoint
 * (must answer 200 with Redis up), its MCP endpoint (every tool called once), else its root.
 */
async function exerciseHttp(code: string, ports: readonly number[], sessions: Client[]): Promise<string[]> {
  const problems: string[] = [];
  const isMcp = /\bStreamableHTTPServerTransport\b|\bcreateMcpHandler\b/.test(code);
  if (code.includes("/health")) {
    const answers = await Promise.all(ports.map((port) => get(port, "/health")));
    const served = answers.find((a) => a.status !== 404);
    if (served === undefined) problems.push(`GET /health answered 404 on every port (${ports.join(", ")})`);
    else if (served.status !== 200) problems.push(`GET /health answered ${served.status}: ${served.body}`);
  }
  if (isMcp) {
    const failures: string[] = [];
    for (const port of ports) {
      const client = newClient();
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
      } catch (error) {
        failures.push(`port ${port}: ${(error as Error).message}`);
        continue;
      }
      problems.push(...(await exerciseTools(client)));
      // Left open through the SIGTERM, as a real client's session is: the server's shutdown has
      // to end it (and its event stream) by itself.
      sessions.push(client);
      failures.length = 0;
      break;
    }
    if (failures.length > 0) problems.push(`no MCP endpoint at /mcp: ${failures.join("; ")}`);
  }
  if (!isMcp && !code.includes("/health")) {
    for (const port of ports) {
      await get(port, "/").catch((error: Error) =>
        problems.push(`GET / on port ${port} failed: ${error.message}`),
      );
    }
  }
  return problems;
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** Every `.listen(3000)`, `.listen({ port: 3000 })`, `listen({ port: 3000 })`, in order. */
export function listenPorts(code: string): number[] {
  const ports = [];
  for (const match of code.matchAll(/\blisten\s*\(\s*(?:(\d+)|\{[^}]*\bport\s*:\s*(\d+))/g)) {
    ports.push(Number(match[1] ?? match[2]));
  }
  return [...new Set(ports)];
}

async function waitForPort(program: Program, port: number): Promise<boolean> {
  const deadline = Date.now() + SERVER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (program.child.exitCode !== null || program.child.signalCode !== null) return false;
    if (await accepts(port)) return true;
    await sleep(100);
  }
  return false;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
