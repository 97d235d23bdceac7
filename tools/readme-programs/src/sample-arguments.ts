import { randomUUID } from "node:crypto";

/** The part of JSON Schema that MCP tool input schemas (from zod) use. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
}

const STRING_FORMATS: Record<string, () => string> = {
  email: () => "reader@example.com",
  uri: () => "https://example.com/",
  url: () => "https://example.com/",
  uuid: () => randomUUID(),
  "date-time": () => new Date().toISOString(),
  date: () => new Date().toISOString().slice(0, 10),
};

/**
 * A valid value for `schema`, the way a model would fill in a tool call: required properties
 * only, the first choice of every union or enum, the smallest numbers and lists allowed.
 */
export function sampleArguments(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (choice !== undefined) return sampleArguments(choice);
  if (schema.allOf !== undefined) return Object.assign({}, ...schema.allOf.map(sampleArguments));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      const format = schema.format === undefined ? undefined : STRING_FORMATS[schema.format];
      return format?.() ?? "example".padEnd(schema.minLength ?? 0, "x");
    }
    case "integer":
    case "number": {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1);
      return Math.min(low, schema.maximum ?? low);
    }
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleArguments(schema.items ?? {}));
    default: {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sampleArguments(schema.properties?.[name] ?? {});
      return out;
    }
  }
}
