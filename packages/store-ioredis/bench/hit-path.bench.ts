import { ioredisStore } from "@mcp-persist/store-ioredis";
import { hitPathBenchmarks } from "./hit-path-suite";

await hitPathBenchmarks("ioredis", (url) => ioredisStore({ connection: url }));
