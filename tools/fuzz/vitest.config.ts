import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

// Hostile input at every public boundary; the whole project stays under ~2 minutes on 2 cores.
// FUZZ_SEED=<n> replays a run (fast-check prints the seed of a failing one).
export default defineProject(packageProject("fuzz", { testTimeout: 120_000 }));
