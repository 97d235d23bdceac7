// The in-process sliding log in steady traffic: one check a millisecond (a manual clock), so that
// once the log is full a unit leaves the window at every check, at limits of 1,000 to 100,000.
// Prints the time per check, which should not grow with the limit. Runs on the built packages.
//   node packages/ratelimit/bench/steady-log.mjs
import { createManualClock } from "@mcp-persist/cache-core/testing";
import { createRateLimiter } from "@mcp-persist/ratelimit";
import { lruStore } from "@mcp-persist/store-lru";

const CHECKS = 100_000;
for (const limit of [1000, 10_000, 100_000]) {
  const clock = createManualClock();
  const limiter = createRateLimiter({
    store: lruStore({ clock }),
    clock,
    algorithm: "sliding-log",
    limit,
    windowMs: limit,
  });
  // Fill the window: from here on, each check admits one unit and one leaves.
  for (let i = 0; i < limit; i++, clock.advance(1)) await limiter.check("k");
  const start = process.hrtime.bigint();
  for (let i = 0; i < CHECKS; i++, clock.advance(1)) {
    if (!(await limiter.check("k")).allowed) throw new Error("a check was denied: not steady traffic");
  }
  const ns = Number(process.hrtime.bigint() - start) / CHECKS;
  console.log(`limit ${limit}: ${ns.toFixed(0)} ns a check`);
}
