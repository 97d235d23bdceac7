/**
 * The phases of a shutdown, in the order they run. Each phase first runs the hooks registered
 * for it (in registration order), then its own step:
 *
 * 1. `not-ready`: readiness already fails (it flipped when the shutdown began, and from then on
 *    responses of the registered servers carry `Connection: close`); hooks only.
 * 2. `delay`: waits `delayMs` while traffic still flows, so load balancers notice readiness.
 * 3. `stop-accepting`: `close()` on the registered HTTP servers; no new connections, and
 *    requests arriving on the connections they still hold are answered `503`.
 * 4. `drain`: waits for the servers' requests in flight and the work registered with
 *    `track()` / `enter()`, at most `drainTimeoutMs`.
 * 5. `close-transports`: `close()` on the registered MCP transports, then ends the connections
 *    left on the servers (`closeAllConnections()`) and waits for the servers to close.
 * 6. `close-stores`: the draining close of every registered store or client, newest first.
 */
export const PHASES = [
  "not-ready",
  "delay",
  "stop-accepting",
  "drain",
  "close-transports",
  "close-stores",
] as const;

/** One of {@link PHASES}. */
export type ShutdownPhase = (typeof PHASES)[number];
