import { describe } from "@mcp-persist/internal";

/**
 * A thrown value as text for a report or a 500 body. Never throws: a check may throw anything,
 * including values `String()` fails on (`Object.create(null)`, an object whose `toString`
 * returns an object), and the report must still be written.
 */
export function errorText(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === "string") return error.message;
    return String(error);
  } catch {
    return describe(error);
  }
}

/**
 * A check's `output`: a string as given, anything else described (the health+json `output` field
 * is a string; an object there would break the clients that read it). `undefined` stays absent.
 */
export function outputText(output: unknown): string | undefined {
  if (output === undefined || typeof output === "string") return output;
  return describe(output);
}
