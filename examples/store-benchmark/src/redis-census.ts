import { once } from "node:events";
import type { Redis } from "ioredis";
import { quiet } from "./redis-clients";

/** What one line sends to Redis per call, seen by MONITOR. */
export interface Census {
  /** Commands the line's clients sent per call: its round trips, pipelining aside. */
  roundTrips: number;
  /** Per call, by command; those run inside a Lua script are prefixed `lua:`. */
  commands: Record<string, number>;
}

/**
 * Runs `calls` calls of a line with MONITOR on and counts what reaches Redis. INFO commandstats
 * cannot tell a client's commands from those its scripts run; MONITOR can. MONITOR slows Redis,
 * so this runs apart from the timed repetitions.
 */
export async function census(admin: Redis, calls: number, run: () => Promise<void>): Promise<Census> {
  // What `admin.monitor()` does, but with our error listener on before it connects.
  const monitor = quiet(admin.duplicate({ monitor: true, lazyConnect: false }));
  await once(monitor, "monitoring");
  const marker = `census-end-${process.pid}-${Math.random()}`;
  const counts = new Map<string, number>();
  let roundTrips = 0;
  try {
    const seenMarker = new Promise<void>((resolve) => {
      monitor.on("monitor", (_time: string, args: string[], source: string) => {
        const name = String(args[0]).toLowerCase();
        if (args[1] === marker) return resolve();
        const lua = source === "lua";
        if (!lua) roundTrips++;
        const key = lua ? `lua:${name}` : name;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      });
    });
    await run();
    // MONITOR output is ordered: once our marker is through, every command of the run is counted.
    await admin.echo(marker);
    await seenMarker;
  } finally {
    monitor.disconnect();
  }
  const perCall = [...counts].map(([name, n]) => [name, n / calls] as const).sort((a, b) => b[1] - a[1]);
  return { roundTrips: roundTrips / calls, commands: Object.fromEntries(perCall) };
}
