import { type HealthResponse, type Respond, textResponse } from "./endpoint-responses";
import { errorText } from "./error-text";

function toResponse(method: string, response: HealthResponse): Response {
  return new Response(method === "HEAD" ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
}

/** The Fetch answer to `request`, or `undefined` when its path is not a health endpoint. */
export async function handleFetchRequest(respond: Respond, request: Request): Promise<Response | undefined> {
  const pending = respond(request.method, new URL(request.url).pathname);
  if (pending === undefined) return undefined;
  try {
    return toResponse(request.method, await pending);
  } catch (error) {
    return toResponse(request.method, textResponse(500, `health handler error: ${errorText(error)}`));
  }
}

/** `(request) => Promise<Response>`: unknown paths get a 404 Response. */
export function createFetchHandler(respond: Respond): (request: Request) => Promise<Response> {
  return async (request) =>
    (await handleFetchRequest(respond, request)) ??
    toResponse(request.method, textResponse(404, "not found"));
}
