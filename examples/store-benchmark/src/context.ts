import type { CallData } from "./calls";
import type { BenchOptions } from "./cli-options";
import { argumentSets, guideKey, TOOL, toolResult } from "./fixtures";
import type { RedisClients } from "./redis-clients";
import type { StoreFactories } from "./stores";

/** What every workload builds its lines from. */
export interface BenchContext {
  options: BenchOptions;
  /** First segment of every key this run writes; on a Redis lent through REDIS_URL they are deleted after. */
  runId: string;
  data: CallData;
  redis: { url: string; clients: RedisClients } | undefined;
  /** Our stores that were asked for and load, Redis ones only when there is a Redis. */
  stores: StoreFactories;
  /** Registers something to close when the run ends, however it ends. */
  defer(close: () => unknown): void;
}

/** The argument sets, their precomputed keys and their tool results: the same data for every line. */
export function callData(payloadBytes: number): CallData {
  const args = argumentSets();
  return {
    args,
    keys: args.map((a) => guideKey(TOOL, a)),
    results: args.map((_, rank) => toolResult(rank, payloadBytes)),
  };
}
