import { describe, expect, it, vi } from "vitest";
import { newToken } from "../src/token";

// Releasing by compare-and-delete trusts that no two holders, in this process or any other, ever
// share a token.
describe("a holder's token", () => {
  it("is never handed out twice by one process", () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => newToken()));
    expect(tokens.size).toBe(10_000);
  });

  it("differs between processes: each draws its own random nonce when it loads the module", async () => {
    const here = newToken();
    vi.resetModules(); // a fresh module instance, as another process (or worker thread) loads it
    const { newToken: elsewhere } = await import("../src/token");
    const there = elsewhere();
    const nonce = (token: string) => token.slice(0, token.lastIndexOf(":"));
    expect(nonce(there)).not.toBe(nonce(here));
    // 122 random bits (a v4 UUID), then the count.
    expect(here).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:\d+$/);
  });
});
