// redlock 5.0.0-beta.2 ships types, but its `exports` map has no `types` condition, so TypeScript's
// bundler resolution cannot see them. This declares the part the benchmark uses, as they define it.
declare module "redlock" {
  import type { Redis } from "ioredis";

  export default class Redlock {
    constructor(clients: Iterable<Redis>, settings?: { retryCount?: number; retryDelay?: number });
    using<T>(resources: string[], duration: number, routine: (signal: AbortSignal) => Promise<T>): Promise<T>;
  }
}
