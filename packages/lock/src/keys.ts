import { keySegment } from "@mcp-persist/keys";

/** The store keys behind one lock; all share a Cluster hash tag, so one script may touch them all. */
export interface LockKeys {
  /** Holds the current holder's random token for as long as the lease lasts. */
  lock: string;
  /** The fencing counter: the last token handed out for this resource. */
  fence: string;
  /** `once` only: the result of the side effect, or the mark of an attempt in progress. */
  record: string;
}

/**
 * `<namespace>:<kind>:{<name>}` and its `:fence` and `:record` siblings. The name is escaped by
 * `keySegment`, which encodes `{` and `}`, so a name can never open or close the hash tag itself.
 */
export function lockKeys(namespace: string, kind: "lock" | "once", name: string): LockKeys {
  return new ResourceKeys(`${namespaceSegment(namespace)}:${kind}:{${keySegment(name)}}`);
}

/** One call's keys; a class, not a literal: it lives across store calls (cache-core README, "Per-call objects"). */
class ResourceKeys implements LockKeys {
  readonly fence: string;
  readonly record: string;

  constructor(readonly lock: string) {
    this.fence = `${lock}:fence`;
    this.record = `${lock}:record`;
  }
}

/** The last namespace escaped: an application passes the same one (or none: "mcp") on every call. */
let lastNamespace: string | undefined;
let lastSegment = "";

function namespaceSegment(namespace: string): string {
  if (namespace !== lastNamespace) {
    lastSegment = keySegment(namespace);
    lastNamespace = namespace;
  }
  return lastSegment;
}
