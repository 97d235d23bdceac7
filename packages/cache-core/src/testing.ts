export type { ConformanceOptions, ConformanceTest, MakeStore, Outage } from "./testing/conformance-support";
export { type Fault, type FaultyOperation, faultyStore } from "./testing/faulty-store";
export { createManualClock, type ManualClock } from "./testing/manual-clock";
export { memoryStore } from "./testing/memory-store";
export { sampleScripts } from "./testing/sample-scripts";
export { storeConformance } from "./testing/store-conformance";
