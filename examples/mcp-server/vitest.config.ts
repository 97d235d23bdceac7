import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

// The servers under test are child processes running the built packages: build-dist builds what is missing.
export default defineProject(
  packageProject("example-mcp-server", { globalSetup: ["./test/support/build-dist.ts"] }),
);
