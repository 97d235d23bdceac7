import { describe } from "@mcp-persist/internal";
import { assertStoreLike, type Closable, type StoreLike } from "./close-store";
import { ShutdownRegistrationError } from "./errors";
import { assertHttpServerLike, type HttpServerLike } from "./http-servers";
import { PHASES, type ShutdownPhase } from "./phases";

/** A function run when its phase begins. The phase waits for what it returns. */
export type ShutdownHook = () => unknown;

/** What the shutdown will close, and the hooks it will run, in registration order. */
export interface Registry {
  readonly servers: ReadonlySet<HttpServerLike>;
  readonly transports: ReadonlySet<Closable>;
  readonly stores: ReadonlySet<StoreLike>;
  readonly hooks: Readonly<Record<ShutdownPhase, ReadonlySet<ShutdownHook>>>;
  addServer(server: HttpServerLike): () => void;
  addTransport(transport: Closable): () => void;
  addStore(store: StoreLike): () => void;
  on(phase: ShutdownPhase, hook: ShutdownHook): () => void;
}

export function createRegistry(): Registry {
  const servers = new Set<HttpServerLike>();
  const transports = new Set<Closable>();
  const stores = new Set<StoreLike>();
  const hooks = Object.fromEntries(PHASES.map((phase) => [phase, new Set<ShutdownHook>()])) as Record<
    ShutdownPhase,
    Set<ShutdownHook>
  >;

  // Each add* returns its undo, so short-lived things (one transport per MCP session) can leave.
  const add = <T>(set: Set<T>, item: T) => {
    set.add(item);
    return () => {
      set.delete(item);
    };
  };

  return {
    servers,
    transports,
    stores,
    hooks,
    addServer: (server) => add(servers, assertHttpServerLike(server)),
    addTransport(transport) {
      if (typeof (transport as Partial<Closable> | null)?.close !== "function") {
        throw new ShutdownRegistrationError(
          `addTransport() needs an MCP transport (anything with close()), got ${describe(transport)}`,
        );
      }
      return add(transports, transport);
    },
    addStore: (store) => add(stores, assertStoreLike(store)),
    on(phase, hook) {
      // A phase is one of a few strings: anything else is refused before it is used as a key
      // (Object.create(null) cannot even become one).
      if (!(PHASES as readonly unknown[]).includes(phase)) {
        throw new ShutdownRegistrationError(
          `on(): unknown phase ${describe(phase)}; use one of ${PHASES.join(", ")}`,
        );
      }
      if (typeof hook !== "function") {
        throw new ShutdownRegistrationError(
          `on("${phase}"): the hook must be a function, got ${describe(hook)}`,
        );
      }
      return add(hooks[phase], hook);
    },
  };
}
