import { runNode, useBundle } from "@mcp-persist/test-kit";
import { expect } from "vitest";
import type { WorkerPlan, WorkerReport } from "./workload";

/**
 * The mixed-load worker, bundled once per test file (worker processes cannot use vitest's
 * aliases). Returns a function that runs `count` workers on `plan` and resolves with their
 * reports, once each has exited by itself with code 0.
 */
export function useWorkers(): (count: number, plan: Omit<WorkerPlan, "worker">) => Promise<WorkerReport[]> {
  const bundle = useBundle(new URL("../fixtures/mixed-worker.ts", import.meta.url));
  return async (count, plan) => {
    const workers = Array.from({ length: count }, (_, worker) =>
      runNode([bundle(), JSON.stringify({ ...plan, worker })], {}, plan.durationMs + 60_000),
    );
    const ended = await Promise.all(workers.map((worker) => worker.ended));
    return ended.map((end) => {
      expect(end, end.stderr).toMatchObject({ byItself: true, code: 0 });
      return JSON.parse(end.stdout.trim()) as WorkerReport;
    });
  };
}
