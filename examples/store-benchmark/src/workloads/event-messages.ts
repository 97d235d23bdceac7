/** The two messages a resumable stream mostly carries: progress notifications, and the call's result. */
export type MessageKind = "progress" | "result";

export const MESSAGE_KINDS: readonly MessageKind[] = ["progress", "result"];

/** Distinct messages per kind, reused in turn: built once, so no line times their construction. */
const COUNT = 1000;

/** A progress notification of a long tool call: ~150 bytes of JSON. */
function progress(n: number): object {
  return {
    jsonrpc: "2.0",
    method: "notifications/progress",
    params: {
      progressToken: "7f3a9c2e",
      progress: n,
      total: COUNT,
      message: `Indexed ${n} of ${COUNT} files`,
    },
  };
}

const PROSE =
  "The deployment guide describes how each replica reads its configuration at start-up, which " +
  "settings can change while it runs, and how a rolling restart keeps every session answered. ";

/** A tool call's result, one text block: ~1 KB of JSON. */
function result(n: number): object {
  const shell = (text: string) => ({
    jsonrpc: "2.0",
    id: n,
    result: { content: [{ type: "text", text }], isError: false },
  });
  const room = 1024 - JSON.stringify(shell("")).length;
  return shell(PROSE.repeat(Math.ceil(room / PROSE.length)).slice(0, room));
}

export interface Messages {
  kind: MessageKind;
  /** Median size of the messages as JSON, in bytes. */
  bytes: number;
  at(i: number): object;
}

export function messages(kind: MessageKind): Messages {
  const all = Array.from({ length: COUNT }, (_, n) => (kind === "progress" ? progress(n) : result(n)));
  const sizes = all.map((m) => Buffer.byteLength(JSON.stringify(m))).sort((a, b) => a - b);
  return { kind, bytes: sizes[COUNT >> 1] as number, at: (i) => all[i % COUNT] as object };
}
