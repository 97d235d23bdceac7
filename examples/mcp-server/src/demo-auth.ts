import type { IncomingMessage } from "node:http";

/** What both SDK lines read from `req.auth` and hand to tool handlers as `authInfo`. */
export type DemoAuthInfo = { token: string; clientId: string; scopes: string[]; expiresAt: number };

/**
 * A STAND-IN for real authentication: `Authorization: Bearer <name>` is taken at its word and
 * `<name>` becomes the client id. It exists so that an HTTP client can show up as a caller of
 * its own on SDK v2, which has no sessions. In a real server, verify the token instead (the
 * SDKs' `requireBearerAuth` with your OAuth verifier) and set `req.auth` the same way.
 */
export function attachDemoAuth(req: IncomingMessage & { auth?: DemoAuthInfo }): void {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (match === null) return;
  const token = match[1] as string;
  req.auth = { token, clientId: token, scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 };
}
