import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

// Faults under mixed load, one client per test: each runs about 20 s of load on 2 cores.
export default defineProject(packageProject("chaos", { testTimeout: 120_000 }));
