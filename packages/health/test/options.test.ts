import { describe, expect, it } from "vitest";
import {
  createHealth,
  type HealthCheck,
  HealthError,
  type HealthListenOptions,
  HealthOptionError,
  type HealthOptions,
  InvalidOptionError,
  type RedisCheckOptions,
  redisCheck,
} from "../src/index";

const ok: HealthCheck = { name: "db", run: () => undefined };

function optionError(make: () => unknown): InvalidOptionError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(HealthError);
    // The deprecated name is the same class, so existing `instanceof` checks still hold.
    expect(error).toBeInstanceOf(HealthOptionError);
    expect(error).toMatchObject({
      name: "InvalidOptionError",
      code: "ERR_INVALID_OPTION",
      package: "@mcp-persist/health",
    });
    expect((error as Error).message).toMatch(/^\[@mcp-persist\/health\] /);
    return error as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError, nothing was thrown");
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

describe("every bad option is a typed error at construction, never at probe time", () => {
  const client = { ping: async () => "PONG" };

  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "x"],
    ["a number", 42],
    ["an array", []],
  ])("rejects createHealth options that are %s", (_case, options) => {
    const error = optionError(() => createHealth(options as HealthOptions));
    expect(error.message).toMatch(/createHealth\(\) options must be an object, got /);
  });

  it.each<[string, HealthOptions, RegExp]>([
    ["paths: null", { paths: null } as unknown as HealthOptions, /paths must be an object, got null/],
    [
      "a misspelt path",
      { paths: { readiness: "/r" } } as HealthOptions,
      /paths: unknown option "readiness"; the options are live, ready, health$/,
    ],
    ["a numeric version", { version: 5 } as unknown as HealthOptions, /version must be a string, got 5/],
    ["a numeric releaseId", { releaseId: 7 } as unknown as HealthOptions, /releaseId must be a string/],
    ["a boolean serviceId", { serviceId: true } as unknown as HealthOptions, /serviceId must be a string/],
    [
      "an object description",
      { description: {} } as unknown as HealthOptions,
      /description must be a string/,
    ],
    [
      "a shutdown without isShuttingDown()",
      { shutdown: {} } as HealthOptions,
      /shutdown must have an isShuttingDown\(\) method .*got an object with keys \[\]/,
    ],
    [
      "shutdown: null",
      { shutdown: null } as unknown as HealthOptions,
      /shutdown must have an isShuttingDown/,
    ],
    [
      "a misspelt option",
      { timeout: 100 } as HealthOptions,
      /createHealth\(\) options: unknown option "timeout"; the options are checks, timeoutMs, .* \(did you mean "timeoutMs"\?\)$/,
    ],
    [
      "critical: 'no' (it would count as critical)",
      { checks: [{ ...ok, critical: "no" }] } as unknown as HealthOptions,
      /checks\[0\]\.critical must be true or false, got "no"/,
    ],
    [
      "a misspelt check field",
      { checks: [{ ...ok, critcal: false }] } as unknown as HealthOptions,
      /checks\[0\]: unknown option "critcal"; the options are name, measurement, /,
    ],
    [
      "a numeric componentId",
      { checks: [{ ...ok, componentId: 1 }] } as unknown as HealthOptions,
      /checks\[0\]\.componentId must be a string, got 1/,
    ],
    [
      "a numeric componentType",
      { checks: [{ ...ok, componentType: 2 }] } as unknown as HealthOptions,
      /checks\[0\]\.componentType must be a string/,
    ],
    [
      "a check that is null",
      { checks: [null] } as unknown as HealthOptions,
      /checks\[0\] must be an object, got null/,
    ],
    // null is a wrong type, not "left out": it was read as the default (500 ms, 1 s, "/livez").
    [
      "timeoutMs: null",
      { timeoutMs: null } as unknown as HealthOptions,
      /timeoutMs must be a positive finite number of milliseconds, got null/,
    ],
    [
      "cacheMs: null",
      { cacheMs: null } as unknown as HealthOptions,
      /cacheMs must be zero or a positive finite number of milliseconds, got null/,
    ],
    ["checks: null", { checks: null } as unknown as HealthOptions, /checks must be an array, got null/],
    [
      "a path that is null",
      { paths: { live: null } } as unknown as HealthOptions,
      /paths\.live must be a path starting with "\/".*got null/,
    ],
    // Requests are matched on their path alone: such a path could never be answered.
    [
      "a path with a query string",
      { paths: { ready: "/readyz?full" } } as HealthOptions,
      /paths\.ready must be a path starting with "\/", without "\?" or "#".*got "\/readyz\?full"/,
    ],
    ["a path with a fragment", { paths: { health: "/health#x" } } as HealthOptions, /paths\.health must be/],
  ])("rejects %s", (_case, options, message) => {
    expect(optionError(() => createHealth(options)).message).toMatch(message);
  });

  it.each<[string, unknown, RegExp]>([
    ["null options", null, /redisCheck\(\) options must be an object, got null/],
    ["string options", "fast", /redisCheck\(\) options must be an object/],
    [
      "critical: 'no'",
      { critical: "no" },
      /redisCheck\(\) options\.critical must be true or false, got "no"/,
    ],
    ["a run of its own", { run: () => {} }, /redisCheck\(\) options: unknown option "run"; the options are /],
    [
      "a name with a colon",
      { name: "redis:primary" },
      /redisCheck\(\) options\.name must be a non-empty string/,
    ],
    [
      "a timeout past Node's timer limit",
      { timeoutMs: 2 ** 31 },
      /options\.timeoutMs must be at most 2147483647 ms/,
    ],
    [
      "a warnAfterMs above its own timeout",
      { timeoutMs: 100, warnAfterMs: 200 },
      /warnAfterMs \(200\) must be below its timeoutMs \(100\)/,
    ],
  ])("redisCheck() rejects %s when called", (_case, options, message) => {
    expect(optionError(() => redisCheck(client, options as RedisCheckOptions)).message).toMatch(message);
  });

  it("refuses a sparse checks array, naming the hole (found by tools/fuzz)", () => {
    const sparse = [, ok] as HealthCheck[];
    expect(optionError(() => createHealth({ checks: sparse })).message).toBe(
      "[@mcp-persist/health] checks[0] must be an object, got undefined",
    );
    const trailing: HealthCheck[] = [ok];
    trailing.length = 2;
    expect(optionError(() => createHealth({ checks: trailing })).message).toContain(
      "checks[1] must be an object, got undefined",
    );
  });

  it("accepts a check written as a class, with state of its own", async () => {
    class QueueCheck {
      readonly name = "queue";
      readonly backlog = 3;
      run() {
        return this.backlog > 10 ? { status: "warn" as const } : undefined;
      }
    }
    const report = await createHealth({ checks: [new QueueCheck()] }).report();
    expect(report.checks["queue:responseTime"]?.[0]?.status).toBe("pass");
  });

  it("answers /readyz with a verdict, never a 500, once construction has passed", async () => {
    const health = createHealth({ shutdown: { isShuttingDown: () => false }, checks: [ok] });
    expect((await health.fetch(new Request("http://h/readyz"))).status).toBe(200);
  });

  it("answers a 500 that says why when the shutdown object throws, even what cannot be printed", async () => {
    const health = createHealth({
      shutdown: {
        isShuttingDown: () => {
          throw Object.create(null);
        },
      },
    });
    const response = await health.fetch(new Request("http://h/readyz"));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("health handler error: an object with keys []\n");
  });
});

describe("timer-valued options stop at Node's timer limit (2^31 - 1 ms)", () => {
  // A longer delay fires after 1 ms: every probe would fail as a timeout.
  it.each<[string, () => unknown, string]>([
    ["timeoutMs", () => createHealth({ timeoutMs: 2 ** 31 }), "timeoutMs"],
    ["cacheMs", () => createHealth({ cacheMs: 2 ** 31 }), "cacheMs"],
    [
      "a check's timeoutMs",
      () => createHealth({ checks: [{ ...ok, timeoutMs: 2 ** 31 }] }),
      "checks[0].timeoutMs",
    ],
    [
      "a check's warnAfterMs",
      () => createHealth({ checks: [{ ...ok, warnAfterMs: 2 ** 31 }] }),
      "checks[0].warnAfterMs",
    ],
    [
      "redisCheck's timeoutMs",
      () => redisCheck({ ping: async () => 1 }, { timeoutMs: 2 ** 32 }),
      "timeoutMs",
    ],
  ])("rejects %s above it", (_case, make, option) => {
    const error = optionError(make);
    expect(error.message).toContain(`${option} must be at most 2147483647 ms`);
  });

  it("accepts the limit itself", () => {
    expect(() =>
      createHealth({
        timeoutMs: 2 ** 31 - 1,
        cacheMs: 2 ** 31 - 1,
        checks: [{ ...ok, timeoutMs: 2 ** 31 - 1 }],
      }),
    ).not.toThrow();
  });
});

describe("error messages survive values that cannot be printed", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const unlistable = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("no keys");
      },
    },
  );

  it.each<[string, unknown, string]>([
    ["an object without a prototype", Object.create(null), "got an object with keys []"],
    ["a BigInt", 10n, "got 10n"],
    ["a symbol", Symbol("slow"), "got Symbol(slow)"],
    ["a cyclic object", cyclic, "got an object with keys [self]"],
    ["an object whose keys cannot be listed", unlistable, "got an unprintable object"],
  ])("%s", (_case, value, printed) => {
    expect(optionError(() => createHealth({ timeoutMs: value as number })).message).toContain(printed);
    expect(optionError(() => createHealth({ version: value as string })).message).toContain(printed);
    expect(optionError(() => createHealth({ checks: value as HealthCheck[] })).message).toContain(printed);
  });

  it("in redisCheck()'s target too", () => {
    expect(optionError(() => redisCheck(Object.create(null))).message).toContain(
      "got an object with keys []",
    );
  });
});

describe("health.listen() options", () => {
  it.each<[string, unknown, RegExp]>([
    ["a negative port", { port: -1 }, /port must be an integer from 0 to 65535, got -1/],
    ["a port as a string", { port: "9000" }, /port must be an integer .*got "9000"/],
    ["port: null (not read as 0)", { port: null }, /port must be an integer from 0 to 65535, got null/],
    ["a numeric host", { host: 127 }, /host must be a string, got 127/],
    [
      "a misspelt option",
      { hostname: "127.0.0.1" },
      /listen\(\) options: unknown option "hostname"; the options are port, host$/,
    ],
  ])("rejects %s", async (_case, options, message) => {
    const listening = createHealth().listen(options as HealthListenOptions);
    await expect(listening).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(listening).rejects.toThrow(message);
  });
});
