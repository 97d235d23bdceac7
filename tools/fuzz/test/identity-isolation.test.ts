import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode, useBundle, useRedis } from "@mcp-persist/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportInputs, seedOfRun, tried1 } from "./support/runs";

reportInputs("identity isolation");

// Four processes, two on ioredis and two on node-redis, share one real Redis: each makes random
// calls from random callers through cache.wrap (per-caller keys) and through a real MCP SDK client
// calling a tool registered with cache: { perCaller: true }; every result names the caller it was
// computed for. Callers recur across processes, so results cross between them through Redis; a
// result served to anyone but its own caller is a violation.

const redis = useRedis();
const WORKERS = 4;
const CALLS_PER_WORKER = 2600; // per path: 10,400 cache calls and 10,400 MCP calls in all
const seed = seedOfRun();

interface Counts {
  calls: number;
  violations: string[];
  hits: number;
  crossProcessHits: number;
}

const bundle = useBundle(new URL("./fixtures/isolation-worker.ts", import.meta.url));

describe("identity isolation across processes on one Redis", () => {
  it(`no caller is ever served another caller's result (seed ${seed}: FUZZ_SEED=${seed} replays it)`, async () => {
    const keyPrefix = `fuzz-${randomUUID()}:`;
    const workers = Array.from({ length: WORKERS }, (_, worker) =>
      runNode(
        [
          bundle(),
          JSON.stringify({
            url: redis().url,
            keyPrefix,
            client: worker % 2 === 0 ? "ioredis" : "node-redis",
            seed,
            worker,
            calls: CALLS_PER_WORKER,
          }),
        ],
        {},
        90_000,
      ),
    );
    const ended = await Promise.all(workers.map((worker) => worker.ended));
    const reports = ended.map((end) => {
      expect(end, end.stderr).toMatchObject({ byItself: true, code: 0 });
      return JSON.parse(end.stdout.trim()) as { cache: Counts; mcp: Counts };
    });
    for (const path of ["cache", "mcp"] as const) {
      const counts = reports.map((report) => report[path]);
      const total = (field: "calls" | "hits" | "crossProcessHits") =>
        counts.reduce((sum, c) => sum + c[field], 0);
      tried1(total("calls"));
      console.log(
        `[fuzz] identity isolation, ${path}: ${total("calls")} calls, ${total("hits")} hits, ${total("crossProcessHits")} served across processes, seed ${seed}`,
      );
      expect(counts.flatMap((c) => c.violations)).toEqual([]);
      expect(total("calls")).toBeGreaterThanOrEqual(10_000);
      // The property is only tested where results really are shared, in and across processes.
      expect(total("hits")).toBeGreaterThan(1000);
      expect(total("crossProcessHits")).toBeGreaterThan(100);
    }
  }, 120_000);
});
