import { setTimeout as sleep } from "node:timers/promises";
import { closeStore } from "./close-store";
import { endConnections, stopAccepting } from "./http-servers";
import type { InFlight } from "./in-flight";
import type { Logger } from "./logger";
import { PHASES, type ShutdownPhase } from "./phases";
import type { Registry } from "./registry";
import type { RequestGate } from "./request-gate";

export interface PhaseContext {
  registry: Registry;
  inFlight: InFlight;
  gate: RequestGate;
  logger: Logger;
  delayMs: number;
  drainTimeoutMs: number;
}

/** Shared with the caller: which phase is running, and whether to stop (the timeout fired). */
export interface PhaseProgress {
  phase: ShutdownPhase;
  aborted: boolean;
}

/**
 * Runs every phase in order: its hooks, then its own step. A failing hook or close is logged
 * and the shutdown goes on, so one broken piece does not keep the stores from closing.
 * Resolves true when nothing failed.
 */
export async function runPhases(context: PhaseContext, progress: PhaseProgress): Promise<boolean> {
  const { registry, inFlight, logger } = context;
  let succeeded = true;
  const attempt = async (phase: ShutdownPhase, what: string, action: () => unknown) => {
    try {
      await action();
    } catch (error) {
      succeeded = false;
      logger.error(
        { event: "shutdown_step_failed", phase, err: error },
        `${what} failed in phase ${phase}; continuing`,
      );
    }
  };
  // Resolved in close-transports: a server only finishes closing once its connections end.
  let serversClosed: Promise<unknown> = Promise.resolve();

  const steps: Record<ShutdownPhase, () => Promise<unknown>> = {
    // Readiness flipped when the shutdown began, before any phase: nothing left to do here.
    "not-ready": async () => {},
    delay: () => sleep(context.delayMs),
    "stop-accepting": async () => {
      // From here on, requests on kept-alive connections get a 503 instead of becoming new work
      // that holds the drain open; the ones already in flight finish.
      context.gate.refuseRequests();
      serversClosed = Promise.all(
        [...registry.servers].map((server) =>
          attempt("stop-accepting", "closing an HTTP server", () => stopAccepting(server)),
        ),
      );
    },
    drain: async () => {
      if (await inFlight.idle(context.drainTimeoutMs)) return;
      logger.warn(
        {
          event: "shutdown_drain_timeout",
          phase: "drain",
          unfinished: inFlight.size,
          drainTimeoutMs: context.drainTimeoutMs,
        },
        `drain: ${inFlight.size} unit(s) of work still in flight after drainTimeoutMs; closing transports anyway`,
      );
    },
    "close-transports": async () => {
      await Promise.all(
        [...registry.transports].map((transport) =>
          attempt("close-transports", "closing an MCP transport", () => transport.close()),
        ),
      );
      for (const server of registry.servers) endConnections(server);
      await serversClosed;
    },
    "close-stores": async () => {
      // Newest first: a store built on a client was registered after it, and must close before it.
      for (const store of [...registry.stores].reverse()) {
        await attempt("close-stores", "closing a store", () => closeStore(store));
      }
    },
  };

  for (const [index, phase] of PHASES.entries()) {
    if (progress.aborted) break;
    progress.phase = phase;
    const started = performance.now();
    logger.info(
      { event: "shutdown_phase_started", phase, step: index + 1 },
      `shutdown phase ${phase} started`,
    );
    for (const hook of registry.hooks[phase]) {
      if (progress.aborted) break;
      await attempt(phase, "a hook", hook);
    }
    if (progress.aborted) break;
    await steps[phase]();
    const durationMs = Math.round(performance.now() - started);
    logger.info(
      { event: "shutdown_phase_finished", phase, step: index + 1, durationMs },
      `shutdown phase ${phase} finished`,
    );
  }
  return succeeded;
}
