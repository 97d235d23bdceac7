import { storeConformance } from "@mcp-persist/cache-core/testing";
import { test } from "vitest";
import { lruStore } from "../src/index";

storeConformance(test, () => lruStore({ max: 10_000 }), { scripts: true, shared: false, serverTime: false });
