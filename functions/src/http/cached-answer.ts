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
  const key = `answer ${tenantId} ${role} ${c.req.url}`;
  const kept = cache.get<Answer>(key);
  if (kept) return c.body(kept.body, 200, { "content-type": kept.contentType });

  const generation = cache.generation;
  await next();
  if (c.res.status !== 200) return;
  const answer: Answer = {
    body: new Uint8Array(await c.res.arrayBuffer()),
    contentType: c.res.headers.get("content-type") ?? "application/json",
  };
  cache.set(key, answer, generation, answer.body.byteLength);
  c.res = new Response(answer.body, {
    status: 200,
    headers: { "content-type": answer.contentType },
  });
};
