/** What the run reports while it goes; all of it on stderr, so stdout stays the report. */
export interface Progress {
  /** A comparison (or the stampede) starts. */
  section(title: string): void;
  /** A round of repetitions starts: one plain line when not on a terminal. */
  round(text: string): void;
  /** A measurement of `plannedMs` (0 when not planned: fills, counts, stampedes) is about to start. */
  step(line: string, phase: string, plannedMs: number): void;
  done(): void;
}

/**
 * On a terminal, one status line rewritten in place, with an ETA from the planned time scaled by
 * how fast the run is going; elsewhere (CI, a pipe), plain lines per section and per round, which
 * a log keeps readably.
 */
export function createProgress(plannedMs: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const live = stream.isTTY === true && !process.env.CI;
  const started = performance.now();
  let doneMs = 0;
  let pendingMs = 0;
  let shown = false;

  const eta = (): string => {
    const elapsed = performance.now() - started;
    const rate = doneMs > 0 ? elapsed / doneMs : 1;
    return clock(Math.max(0, (plannedMs - doneMs) * rate));
  };
  const clear = (): void => {
    if (shown) stream.write("\r\x1b[2K");
    shown = false;
  };
  const line = (text: string): void => {
    if (live) clear();
    stream.write(`${text}\n`);
  };

  return {
    section: (title) => line(`▸ ${title}`),
    round(text) {
      if (!live) line(`  ${text} · ETA ${eta()}`);
    },
    step(what, phase, ms) {
      doneMs += pendingMs;
      pendingMs = ms;
      if (!live) return;
      clear();
      stream.write(`  ${phase} · ${what} · ETA ${eta()}`.slice(0, (stream.columns || 100) - 1));
      shown = true;
    },
    done() {
      if (live) clear();
    },
  };
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
