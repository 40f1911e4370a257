import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";

interface Answer {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/**
 * For a GET route whose answer depends only on the database and the request (no clock, no
 * caller beyond the estate and role): while nothing is written, the same request gets the same
 * bytes without asking the database, the validators or JSON.stringify again (see read-cache.ts
 * for when it is forgotten). Kept as bytes: writing a string encodes it on every answer.
 */
export const cachedAnswer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cache = c.get("services").readCache;
  if (!cache || c.req.method !== "GET") return next();
  const { tenantId, role } = c.get("actor");
  let answered = false; // this request ran the route: c.res is its own answer
  const answer = await cache.shared<Answer>(`answer ${tenantId} ${role} ${c.req.url}`, async () => {
    await next();
    answered = true;
    if (c.res.status !== 200) return undefined;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const contentType = c.res.headers.get("content-type") ?? "application/json";
    return { value: { body, contentType }, size: body.byteLength };
  });
  if (!answer) {
    // Not a 200: this request's own answer stands, or it asks for itself after another's failed.
    if (!answered) await next();
    return;
  }
  const headers = { "content-type": answer.contentType };
  // The request that ran the route read its answer's body: that answer is replaced, not returned.
  if (answered) c.res = new Response(answer.body, { status: 200, headers });
  else return c.body(answer.body, 200, headers);
};
