import { defineProject } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

export default defineProject(packageProject("store-node-redis", { globalSetup: ["test/global-setup.ts"] }));
