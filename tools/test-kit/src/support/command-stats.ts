import { redisCommand } from "@mcp-persist/test-redis";

/** Calls per command since the last `CONFIG RESETSTAT`, from `INFO commandstats`. */
export async function commandCalls(port: number): Promise<Record<string, number>> {
  const info = await redisCommand(port, "INFO", "commandstats");
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm))
    calls[match[1] as string] = Number(match[2]);
  return calls;
}
