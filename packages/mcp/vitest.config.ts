import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

export default defineProject(packageProject("mcp"));
