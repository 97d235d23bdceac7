import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

// Runs real programs: MCP servers, HTTP servers with a graceful shutdown, each started cold.
export default defineProject(packageProject("readme-programs", { testTimeout: 120_000 }));
