import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

// Checks on the built and packed packages (dist, tarballs, npm installs), not on their sources.
export default defineProject(packageProject("package-checks", { testTimeout: 300_000 }));
