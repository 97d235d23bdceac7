// The MCP SDKs as this package sees them, typed structurally: it never imports either SDK, so one
// build serves `@modelcontextprotocol/sdk` 1.x and `@modelcontextprotocol/server` 2.x alike.
// Results are type aliases, not interfaces: only an alias is assignable to the SDKs'
// `CallToolResult`, whose index signature an interface does not satisfy.

/** A value or a promise of one. */
export type MaybePromise<T> = T | Promise<T>;

/** One content block of a result (text, image, audio, resource link…): each SDK's union fits. */
export type ContentBlock = { type: string; [key: string]: unknown };

/** A tool result, as both SDKs' `CallToolResult`s describe it. */
export type ToolResult = {
  content: ContentBlock[];
  /**
   * Required by the SDKs when the tool declares an `outputSchema` (unless `isError`): an object
   * in SDK v1, any JSON value in SDK v2.
   */
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
};

/** One item of a `resources/read` result. */
export type ResourceContents = { uri: string; mimeType?: string; [key: string]: unknown };

/** A `resources/read` result. */
export type ResourceResult = {
  contents: ResourceContents[];
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
};

/** The hints MCP defines for tools; absent means the spec's default. */
export type ToolAnnotations = {
  title?: string;
  /** @default false: the tool may change its environment. */
  readOnlyHint?: boolean;
  /** @default true: a change it makes may be destructive. */
  destructiveHint?: boolean;
  /** @default false: repeating a call may have more effect. */
  idempotentHint?: boolean;
  /** @default true */
  openWorldHint?: boolean;
};

/** Who made the request, as the SDKs' auth middleware verified it. */
type AuthInfoLike = { readonly clientId?: string | undefined } | undefined;

/**
 * What this package reads of a handler's context: SDK v1's `extra` (`signal`, `sessionId`,
 * `authInfo`) or SDK v2's `ctx` (`mcpReq.signal`, `http.authInfo`, an optional `sessionId`).
 */
export type RequestContext = {
  /** v1: cancellation of this request. */
  readonly signal?: AbortSignal | undefined;
  /** v1: the protocol session, where the transport has one; v2.4: optional. */
  readonly sessionId?: string | undefined;
  /** v1: what the server's auth middleware verified. */
  readonly authInfo?: AuthInfoLike;
  /** v2: the HTTP request's verified auth. */
  readonly http?: { readonly authInfo?: AuthInfoLike } | undefined;
  /** v2: the request itself, with the 2026-07-28 `_meta` envelope (its protocol revision). */
  readonly mcpReq?:
    | { readonly signal?: AbortSignal | undefined; readonly envelope?: object | undefined }
    | undefined;
};

/** Anything with the SDKs' `registerTool(name, config, handler)`: v1's or v2's `McpServer`. */
export interface ToolServer {
  registerTool(name: string, config: never, handler: never): unknown;
}

/** Anything with the SDKs' `registerResource(name, uriOrTemplate, config, read)`. */
export interface ResourceServer extends ToolServer {
  registerResource(name: string, uriOrTemplate: never, config: never, read: never): unknown;
}

/** The handler type of the server's `registerTool` (v1 `ToolCallback`, v2 `ToolCallback`). */
export type CallbackOf<S> = S extends { registerTool(name: string, config: never, cb: infer CB): unknown }
  ? CB
  : never;

/** The last parameter of a function type (of each member of a union). */
type LastParameter<F> = F extends (...args: infer P) => unknown
  ? P extends [...unknown[], infer L]
    ? L
    : never
  : never;

/** The handler context of the server: v1 `RequestHandlerExtra`, v2 `ServerContext`. */
export type ContextOf<S> = [LastParameter<CallbackOf<S>>] extends [never]
  ? RequestContext
  : LastParameter<CallbackOf<S>>;

/** What the server's `registerTool` returns (`RegisteredTool`). */
export type RegisteredToolOf<S> = S extends { registerTool(name: string, config: never, cb: never): infer R }
  ? R
  : unknown;

/** What the server's `registerResource` returns for a URI string, and for a template. */
export type RegisteredResourceOf<S, U> = S extends {
  registerResource(name: string, uri: string, config: never, read: never): infer Static;
  registerResource(name: string, uri: infer Template, config: never, read: never): infer Dynamic;
}
  ? U extends string
    ? Static
    : U extends Template
      ? Dynamic
      : unknown
  : unknown;

/** A Standard Schema (zod 4, valibot, arktype…), as far as types go. */
export type StandardSchemaLike = {
  readonly "~standard": {
    readonly types?: { readonly input: unknown; readonly output: unknown } | undefined;
  };
};

/** The parsed type of a Standard Schema. */
type OutputOf<S> = S extends { readonly "~standard": { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : never;

/** A v1 raw shape `{ to: z.string(), cc: z.string().optional() }` parsed: optional where it may be undefined. */
type ShapeOutput<I> = {
  [K in keyof I as undefined extends OutputOf<I[K]> ? never : K]: OutputOf<I[K]>;
} & {
  [K in keyof I as undefined extends OutputOf<I[K]> ? K : never]?: OutputOf<I[K]>;
};

/** The arguments a handler gets for an `inputSchema`: `undefined` when there is none. */
export type ArgsOf<I> = [I] extends [undefined]
  ? undefined
  : I extends StandardSchemaLike
    ? OutputOf<I>
    : I extends Readonly<Record<string, StandardSchemaLike>>
      ? ShapeOutput<I>
      : Record<string, unknown>;

/**
 * A tool handler, as each SDK calls it: `(args, ctx)` for a tool with an `inputSchema`, `(ctx)`
 * for one without (both SDKs call such tools as `handler(ctx)`).
 */
export type ToolHandler<A, Ctx> = [A] extends [undefined]
  ? (ctx: Ctx) => MaybePromise<ToolResult>
  : (args: A, ctx: Ctx) => MaybePromise<ToolResult>;

/** A resource read callback: `(uri, ctx)` for a fixed URI, `(uri, variables, ctx)` for a template. */
export type ResourceReader<Ctx> = (uri: URL, ctx: Ctx) => MaybePromise<ResourceResult>;
export type TemplateReader<Ctx> = (
  uri: URL,
  variables: Record<string, string | string[]>,
  ctx: Ctx,
) => MaybePromise<ResourceResult>;
