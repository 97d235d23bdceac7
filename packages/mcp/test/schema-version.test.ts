import type { Cache } from "@mcp-persist/cache-core";
import { storeKinds, useRedis } from "@mcp-persist/test-kit";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createToolPolicies, type McpPolicyEvent } from "../src/index";
import { schemaVersion } from "../src/schema-version";
import { partsOn } from "./support/parts";
import { sdkLines } from "./support/sdk-lines";

const redis = useRedis();
const kinds = storeKinds(redis);
const lines = sdkLines();

const CITY = z.object({ city: z.string() });
const CITY_AND_UNIT = z.object({ city: z.string(), unit: z.enum(["C", "F"]).optional() });
const TEMP = z.object({ temp: z.number() });
const CELSIUS = z.object({ celsius: z.number() });

describe.each(kinds)("schema-aware keys on $name", (kind) => {
  describe.each(lines)("SDK $name", (line) => {
    /** One deployment of the server: its own policies, the cache shared with every other one. */
    async function deploy(
      cache: Cache,
      schemas: { input: z.ZodObject; output: z.ZodObject; version?: string },
      label: string,
    ) {
      let calls = 0;
      const policies = createToolPolicies({ cache });
      const client = await line.connect((server) =>
        policies.registerTool(
          server,
          "get_weather",
          {
            inputSchema: schemas.input,
            outputSchema: schemas.output,
            annotations: { readOnlyHint: true },
            cache: schemas.version === undefined ? true : { version: schemas.version },
          },
          async () => {
            calls++;
            const field = Object.keys(schemas.output.shape)[0] as string;
            return { content: [{ type: "text", text: label }], structuredContent: { [field]: 21 } };
          },
        ),
      );
      await client.listTools(); // the client validates every result against the output schema
      const text = async () => (await client.call("get_weather", { city: "Oslo" })).content?.[0]?.text;
      return { text, calls: () => calls };
    }

    it("misses when the output or input schema changed, and hits when neither did", async () => {
      const { cache } = partsOn(kind);
      const first = await deploy(cache, { input: CITY, output: TEMP }, "first");
      expect(await first.text()).toBe("first");
      const same = await deploy(cache, { input: CITY, output: TEMP }, "same");
      expect(await same.text()).toBe("first");
      const newOutput = await deploy(cache, { input: CITY, output: CELSIUS }, "new output");
      expect(await newOutput.text()).toBe("new output");
      const newInput = await deploy(cache, { input: CITY_AND_UNIT, output: CELSIUS }, "new input");
      expect(await newInput.text()).toBe("new input");
      expect(same.calls() + first.calls()).toBe(1);
    });

    it("keys on an explicit version instead, when one is given", async () => {
      const { cache } = partsOn(kind);
      const first = await deploy(cache, { input: CITY, output: TEMP, version: "2026-11" }, "first");
      expect(await first.text()).toBe("first");
      // Same version, a changed input schema: the version is the author's word.
      const sameVersion = await deploy(
        cache,
        { input: CITY_AND_UNIT, output: TEMP, version: "2026-11" },
        "second",
      );
      expect(await sameVersion.text()).toBe("first");
      const bumped = await deploy(cache, { input: CITY, output: TEMP, version: "2026-12" }, "bumped");
      expect(await bumped.text()).toBe("bumped");
    });
  });
});

describe("schemaVersion", () => {
  it("is a digest of the JSON Schemas, stable across equal schemas", () => {
    const version = schemaVersion(CITY, TEMP);
    expect(version).toMatch(/^s[0-9a-f]{16}$/);
    expect(schemaVersion(z.object({ city: z.string() }), z.object({ temp: z.number() }))).toBe(version);
    expect(schemaVersion(CITY, undefined)).not.toBe(version);
    expect(schemaVersion(undefined, undefined)).toMatch(/^s[0-9a-f]{16}$/);
  });

  it("converts a schema object once, however many servers register it (SDK v2: one per request)", () => {
    const input = z.object({ city: z.string() });
    const output = z.object({ temp: z.number() });
    const convert = vi.spyOn(input["~standard"].jsonSchema, "input");
    const versions = Array.from({ length: 50 }, () => schemaVersion(input, output));
    expect(new Set(versions)).toEqual(new Set([schemaVersion(CITY, TEMP)]));
    expect(convert).toHaveBeenCalledTimes(1);
    expect(schemaVersion(input, undefined)).not.toBe(versions[0]);
    expect(convert).toHaveBeenCalledTimes(2);
  });

  it("reads a v1 raw shape member by member, optional members included", () => {
    const required = schemaVersion({ city: z.string(), days: z.number() }, undefined);
    const optional = schemaVersion({ city: z.string(), days: z.number().optional() }, undefined);
    expect(required).toMatch(/^s[0-9a-f]{16}$/);
    expect(optional).not.toBe(required);
    expect(schemaVersion({ days: z.number(), city: z.string() }, undefined)).toBe(required);
  });

  it("takes a plain JSON Schema as it is", () => {
    const schema = { type: "object", properties: { city: { type: "string" } } };
    expect(schemaVersion(schema, undefined)).toBe(
      schemaVersion({ properties: { city: { type: "string" } }, type: "object" }, undefined),
    );
  });

  it("has none for a schema without a JSON Schema form", () => {
    const noJson = {
      "~standard": { version: 1, vendor: "custom", validate: (value: unknown) => ({ value }) },
    };
    expect(schemaVersion(noJson, undefined)).toBeUndefined();
  });

  it("warns once and keys on v1 when a tool's schema has no JSON Schema form", async () => {
    const events: McpPolicyEvent[] = [];
    const { cache } = partsOn(storeKinds(redis)[0] as (typeof kinds)[number]);
    const policies = createToolPolicies({ cache, onEvent: (e) => events.push(e) });
    const noJson = {
      "~standard": { version: 1, vendor: "custom", validate: (value: unknown) => ({ value }) },
    };
    const server = { registerTool: () => ({}) };
    for (let i = 0; i < 2; i++) {
      policies.registerTool(
        server,
        "legacy",
        { inputSchema: noJson, annotations: { readOnlyHint: true }, cache: true },
        async () => ({ content: [] }),
      );
    }
    expect(events).toEqual([{ type: "schema-unversioned", tool: "legacy" }]);
  });
});
