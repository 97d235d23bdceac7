import { afterEach, describe, expect, it, vi } from "vitest";
import { createStderrLogger } from "../src/logger";

describe("the default logger (JSON lines on stderr)", () => {
  afterEach(() => vi.restoreAllMocks());

  function capture(): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  }

  it("writes a BigInt a close was rejected with as its digits", () => {
    const lines = capture();
    createStderrLogger().warn({ event: "close_failed", err: 10n }, "a server failed to close");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: "warn", event: "close_failed", err: "10" });
  });

  it("never throws for fields JSON cannot hold, and still writes the line", () => {
    const lines = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = Object.defineProperty({}, "boom", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    const logger = createStderrLogger();
    expect(() => logger.error({ err: cyclic }, "cyclic")).not.toThrow();
    expect(() => logger.error(hostile, "hostile")).not.toThrow();
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["cyclic", "hostile"]);
  });
});
