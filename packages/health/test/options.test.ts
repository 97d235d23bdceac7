import { describe, expect, it } from "vitest";
import { createHealth, type HealthCheck, HealthError, HealthOptionError, redisCheck } from "../src/index";

const ok: HealthCheck = { name: "db", run: () => undefined };

function optionError(make: () => unknown): HealthOptionError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(HealthOptionError);
    expect(error).toBeInstanceOf(HealthError);
    expect((error as HealthOptionError).code).toBe("HEALTH_INVALID_OPTION");
    expect((error as Error).message).toMatch(/^\[@mcp-persist\/health\] /);
    return error as HealthOptionError;
  }
  throw new Error("expected a HealthOptionError, nothing was thrown");
}

describe("options are validated at construction", () => {
  it.each([-5, 0, Number.NaN, Number.POSITIVE_INFINITY, "500"])("rejects timeoutMs %s", (timeoutMs) => {
    const error = optionError(() => createHealth({ timeoutMs: timeoutMs as number }));
    expect(error.message).toContain("timeoutMs must be a positive finite number of milliseconds");
  });

  it("names the exact option and value", () => {
    expect(optionError(() => createHealth({ timeoutMs: -5 })).message).toBe(
      "[@mcp-persist/health] timeoutMs must be a positive finite number of milliseconds, got -5",
    );
    expect(optionError(() => createHealth({ checks: [{ ...ok, timeoutMs: -1 }] })).message).toContain(
      "checks[0].timeoutMs",
    );
  });

  it("accepts cacheMs 0 and rejects a negative one", () => {
    expect(() => createHealth({ cacheMs: 0 })).not.toThrow();
    optionError(() => createHealth({ cacheMs: -1 }));
  });

  it("rejects a warnAfterMs that could never fire", () => {
    const error = optionError(() => createHealth({ checks: [{ ...ok, timeoutMs: 100, warnAfterMs: 100 }] }));
    expect(error.message).toContain("must be below its timeoutMs");
  });

  it("rejects names and measurements that would break the component:measurement key", () => {
    optionError(() => createHealth({ checks: [{ ...ok, name: "a:b" }] }));
    optionError(() => createHealth({ checks: [{ ...ok, name: "" }] }));
    optionError(() => createHealth({ checks: [{ ...ok, measurement: "x:y" }] }));
  });

  it("rejects two checks that would be indistinguishable, accepts them with distinct componentIds", () => {
    optionError(() => createHealth({ checks: [ok, ok] }));
    expect(() =>
      createHealth({
        checks: [
          { ...ok, componentId: "primary" },
          { ...ok, componentId: "replica" },
        ],
      }),
    ).not.toThrow();
  });

  it("rejects malformed checks, paths and redisCheck targets", () => {
    optionError(() => createHealth({ checks: {} as HealthCheck[] }));
    optionError(() => createHealth({ checks: [{ name: "x" } as HealthCheck] }));
    optionError(() => createHealth({ paths: { ready: "readyz" } }));
    optionError(() => createHealth({ paths: { ready: "/livez" } }));
    optionError(() => redisCheck({} as never));
    optionError(() => redisCheck(null as never));
  });
});
