import { StreamableHTTPClientTransport, Client as V2Client } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  McpServer as V1Server,
  ResourceTemplate as V1Template,
} from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  createMcpHandler,
  specTypeSchemas,
  McpServer as V2Server,
  ResourceTemplate as V2Template,
} from "@modelcontextprotocol/server";
import { afterEach } from "vitest";

// The two SDK lines, each with its real server and its real client:
// - v1: one McpServer per connection (a session), on a linked in-memory pair;
// - v2: the 2026-07-28 revision as the SDK serves it, `createMcpHandler` building a server per
//   request, reached by the real streamable HTTP client transport through an in-process fetch.

/** Either SDK's server: the policies take both. */
export type AnyServer = V1Server | V2Server;

/** Who the client is, as a transport tells the server: an authenticated client, a v1 session. */
export interface Identity {
  clientId?: string;
  /** v1 only: v2 has no sessions. */
  sessionId?: string;
}

/** A tool result or resource read as the client received it. */
export type Received = Record<string, unknown> & {
  content?: { type: string; text?: string }[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
};

export interface TestClient {
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<Received>;
  /** Lists the tools: the client then validates structured results against their output schemas. */
  listTools(): Promise<{ name: string }[]>;
  read(uri: string): Promise<Received & { contents: { uri: string; text?: string }[] }>;
}

export interface SdkLine {
  readonly name: "v1" | "v2";
  /** A client of a server on which `register` declared the tools (once per server the SDK builds). */
  connect(register: (server: AnyServer) => void, identity?: Identity): Promise<TestClient>;
  /** The SDK's own `CallToolResult` schema: throws for a value that is not one. */
  parseCallToolResult(value: unknown): void;
  /** The SDK's `ResourceTemplate` for a URI template, not listed. */
  template(uriTemplate: string): V1Template | V2Template;
}

type Closable = { close(): Promise<void> };

/** The two lines; clients and servers opened in a test are closed after it. */
export function sdkLines(): SdkLine[] {
  const opened: Closable[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close().catch(() => {})));
  });
  return [
    {
      name: "v1",
      async connect(register, identity = {}) {
        const server = new V1Server({ name: "policies-test", version: "1.0.0" });
        register(server);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        serverSide.sessionId = identity.sessionId;
        if (identity.clientId !== undefined) authenticate(clientSide, identity.clientId);
        const client = new V1Client({ name: "test-client", version: "1.0.0" });
        await server.connect(serverSide);
        await client.connect(clientSide);
        opened.push(client, server);
        return {
          call: (name, args, options) =>
            client.callTool({ name, arguments: args }, undefined, options) as Promise<Received>,
          listTools: async () => (await client.listTools()).tools,
          read: (uri) => client.readResource({ uri }) as never,
        };
      },
      parseCallToolResult: (value) => void CallToolResultSchema.parse(value),
      template: (uriTemplate) => new V1Template(uriTemplate, { list: undefined }),
    },
    {
      name: "v2",
      async connect(register, identity = {}) {
        const handler = createMcpHandler(() => {
          const server = new V2Server({ name: "policies-test", version: "1.0.0" });
          register(server);
          return server;
        });
        const authInfo =
          identity.clientId === undefined
            ? undefined
            : { token: `token-${identity.clientId}`, clientId: identity.clientId, scopes: [] };
        const transport = new StreamableHTTPClientTransport(new URL("http://policies.test/mcp"), {
          fetch: (url, init) => handler.fetch(new Request(url, init), { authInfo }),
        });
        const client = new V2Client(
          { name: "test-client", version: "1.0.0" },
          { versionNegotiation: { mode: { pin: "2026-07-28" } } },
        );
        await client.connect(transport);
        opened.push(client, handler);
        return {
          call: (name, args, options) =>
            client.callTool({ name, arguments: args }, options) as Promise<Received>,
          listTools: async () => (await client.listTools()).tools,
          // Around the client's own response cache: every read must reach the server.
          read: (uri) => client.readResource({ uri }, { cacheMode: "bypass" }) as never,
        };
      },
      parseCallToolResult(value) {
        const checked = specTypeSchemas.CallToolResult["~standard"].validate(value);
        if ("then" in checked || checked.issues !== undefined) {
          throw new Error(`not a CallToolResult: ${JSON.stringify(checked)}`);
        }
      },
      template: (uriTemplate) => new V2Template(uriTemplate, { list: undefined }),
    },
  ];
}

/** What an authenticating HTTP transport does: every message reaches the server with its auth. */
function authenticate(transport: InMemoryTransport, clientId: string): void {
  const send = transport.send.bind(transport);
  const authInfo = { token: `token-${clientId}`, clientId, scopes: [] };
  transport.send = (message, options) => send(message, { ...options, authInfo });
}
