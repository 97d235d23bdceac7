import { z } from "zod";
import type { ToolPolicies } from "../../src/index";
import type { MaybePromise, RequestContext, ToolResult } from "../../src/sdk-shapes";
import type { ToolLockPolicy, ToolPolicyFields } from "../../src/tool-declaration";
import type { AnyServer } from "./sdk-lines";

// The two tools most tests declare, as a server would: one read-only and cached, one that sends.

/** `search_docs`: read-only, cached (more policy fields may be given), answered by `answer`. */
export function searchDocs(
  policies: ToolPolicies,
  answer: (query: string, ctx: RequestContext) => MaybePromise<ToolResult>,
  fields: ToolPolicyFields<{ query: string }, RequestContext> = {},
): (server: AnyServer) => void {
  return (server) =>
    policies.registerTool(
      server,
      "search_docs",
      {
        inputSchema: z.object({ query: z.string() }),
        annotations: { readOnlyHint: true },
        cache: true,
        ...fields,
      },
      ({ query }, ctx) => answer(query, ctx),
    );
}

/** `send_email`: destructive, rate-limited, locked per recipient (with these lock options). */
export function sendEmail(
  policies: ToolPolicies,
  send: (to: string) => MaybePromise<ToolResult>,
  lock: Omit<ToolLockPolicy<unknown, unknown>, "resource"> = {},
): (server: AnyServer) => void {
  return (server) =>
    policies.registerTool(
      server,
      "send_email",
      {
        inputSchema: z.object({ to: z.string() }),
        annotations: { destructiveHint: true },
        rateLimit: true,
        lock: { resource: ({ to }) => `email:${to}`, ...lock },
      },
      ({ to }) => send(to),
    );
}
