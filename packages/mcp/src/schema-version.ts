import { canonicalize, digest } from "@mcp-persist/keys";

/** A schema this package cannot put in JSON Schema form. */
const UNKNOWN: unique symbol = Symbol("no JSON Schema form");

type Side = "input" | "output";
type JsonForm = unknown;

/** JSON Schemas nest deeply (`$defs`, combinators): allow far more than tool arguments get. */
const MAX_DEPTH = 1000;

/**
 * The version segment of a tool's cache keys: `s` + a 16-hex-digit digest of the canonical JSON
 * Schemas of its input and output, so a deployed schema change makes every old entry unreachable.
 * `undefined` when a schema has no JSON Schema form (the caller then uses "v1" and warns).
 */
export function schemaVersion(inputSchema: unknown, outputSchema: unknown): string | undefined {
  // SDK v2 builds a server, and so registers every tool, per HTTP request: converting the same
  // schema objects again each time would cost a fraction of a millisecond per tool per request.
  // A schema object is taken as fixed once registered, as the SDKs themselves take it.
  const byOutput = memoOf(versions, inputSchema, () => new WeakMap<object, string | undefined>());
  const outputKey = memoKey(outputSchema);
  if (byOutput !== undefined && outputKey !== undefined && byOutput.has(outputKey)) {
    return byOutput.get(outputKey);
  }
  const version = computeVersion(inputSchema, outputSchema);
  if (byOutput !== undefined && outputKey !== undefined) byOutput.set(outputKey, version);
  return version;
}

/** Versions by input schema object, then output schema object (`NONE` for a missing schema). */
const versions = new WeakMap<object, WeakMap<object, string | undefined>>();
const NONE = {};

function memoKey(schema: unknown): object | undefined {
  if (schema === undefined || schema === null) return NONE;
  return typeof schema === "object" ? schema : undefined;
}

function memoOf<V>(memo: WeakMap<object, V>, schema: unknown, make: () => V): V | undefined {
  const key = memoKey(schema);
  if (key === undefined) return undefined;
  let value = memo.get(key);
  if (value === undefined) {
    value = make();
    memo.set(key, value);
  }
  return value;
}

function computeVersion(inputSchema: unknown, outputSchema: unknown): string | undefined {
  const input = jsonSchemaOf(inputSchema, "input");
  const output = jsonSchemaOf(outputSchema, "output");
  if (input === UNKNOWN || output === UNKNOWN) return undefined;
  try {
    return `s${digest(canonicalize({ input, output }, { maxDepth: MAX_DEPTH }), 8)}`;
  } catch {
    return undefined; // a schema object holding functions or cycles: no stable form
  }
}

/**
 * A schema's JSON Schema form: a Standard JSON Schema (zod ≥ 4.2, and other libraries that
 * implement `~standard.jsonSchema`) converted for draft 2020-12; a v1 raw shape member by member;
 * a plain JSON Schema object as it is; `null` for none.
 */
function jsonSchemaOf(schema: unknown, side: Side): JsonForm | typeof UNKNOWN {
  if (schema === undefined || schema === null) return null;
  if (typeof schema !== "object") return UNKNOWN;
  if ("~standard" in schema) return standardJsonSchema(schema, side);
  const members = Object.entries(schema);
  if (members.length > 0 && members.every(([, member]) => isStandard(member))) {
    const shape: Record<string, JsonForm> = {};
    for (const [name, member] of members) {
      const form = standardJsonSchema(member as object, side);
      if (form === UNKNOWN) return UNKNOWN;
      // A raw shape's member schemas do not say whether the member may be left out: ask.
      shape[name] = { schema: form, optional: acceptsUndefined(member as object) };
    }
    return { shape };
  }
  return Object.getPrototypeOf(schema) === Object.prototype ? schema : UNKNOWN;
}

function isStandard(value: unknown): boolean {
  return typeof value === "object" && value !== null && "~standard" in value;
}

function standardJsonSchema(schema: object, side: Side): JsonForm | typeof UNKNOWN {
  const standard = (schema as { "~standard"?: { jsonSchema?: Partial<Record<Side, unknown>> } })["~standard"];
  const convert = standard?.jsonSchema?.[side];
  if (typeof convert !== "function") return UNKNOWN;
  try {
    return convert.call(standard?.jsonSchema, { target: "draft-2020-12" });
  } catch {
    return UNKNOWN; // a schema the library cannot express (a transform, a custom check)
  }
}

/** `undefined` passes the member's validation: it is optional. Unknown (asynchronous) counts as no. */
function acceptsUndefined(schema: object): boolean {
  const validate = (schema as { "~standard": { validate?: unknown } })["~standard"].validate;
  if (typeof validate !== "function") return false;
  try {
    const result = validate.call((schema as { "~standard": object })["~standard"], undefined);
    return typeof result === "object" && result !== null && !("then" in result) && !result.issues;
  } catch {
    return false;
  }
}
