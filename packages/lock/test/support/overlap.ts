/** One event a holder records: entering or leaving the locked section, with its fencing token. */
export interface HolderEvent {
  type: "enter" | "leave";
  token: number;
  /** Who recorded it (a pid, a call number): shown when the check fails. */
  who: string;
}

/**
 * The overlap detector: events in the order they happened (an in-process array, or a Redis
 * list, which the server orders) must alternate enter(t1) leave(t1) enter(t2) leave(t2)…, with
 * tokens strictly increasing. Two holders inside at once show up as enter, enter. Returns how
 * many holders went in; throws, naming the first bad event, otherwise.
 */
export function assertNoOverlap(events: readonly HolderEvent[]): number {
  let inside: HolderEvent | undefined;
  let lastToken = Number.NEGATIVE_INFINITY;
  events.forEach((event, index) => {
    const at = `event #${index} ${event.type}(${event.token}) by ${event.who}`;
    if (event.type === "enter") {
      if (inside) throw new Error(`overlap: ${at} while ${inside.who} (token ${inside.token}) was inside`);
      if (!(event.token > lastToken)) throw new Error(`fencing token did not grow: ${at} after ${lastToken}`);
      inside = event;
      lastToken = event.token;
    } else {
      if (inside?.token !== event.token) throw new Error(`${at} does not close the holder inside`);
      inside = undefined;
    }
  });
  if (inside) throw new Error(`holder ${inside.who} (token ${inside.token}) never left`);
  return events.length / 2;
}

/** Parses the `type:token:who` strings the worker processes push to a Redis list. */
export function parseEvents(lines: readonly string[]): HolderEvent[] {
  return lines.map((line) => {
    const [type, token, who] = line.split(":");
    if ((type !== "enter" && type !== "leave") || token === undefined || who === undefined) {
      throw new Error(`malformed event ${JSON.stringify(line)}`);
    }
    return { type, token: Number(token), who };
  });
}
