import { expect } from "vitest";
import type { createApp } from "../src/http/app.ts";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { items?: Array<Record<string, unknown>> };
}

/**
 * Calls the HTTP app in process as a signed-in person (`as`: an e-mail whose domain's first label is
 * the estate's slug, `editor@alpha.fr` → estate `alpha`), with the session cookie and the CSRF
 * header a browser would send. Sessions are opened once per person and reused.
 */
export function apiClient(app: ReturnType<typeof createApp>, password: string) {
  const sessions = new Map<string, { cookie: string; csrf: string }>();

  async function signIn(email: string) {
    const known = sessions.get(email);
    if (known) return known;
    const estate = email.split("@")[1]!.split(".")[0]!;
    const response = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, estate }),
    });
    expect(response.status, `sign in ${email}`).toBe(200);
    const session = {
      cookie: response.headers.get("set-cookie")!.split(";")[0]!,
      csrf: ((await response.json()) as { csrfToken: string }).csrfToken,
    };
    sessions.set(email, session);
    return session;
  }

  async function call(
    method: string,
    path: string,
    options: {
      as?: string;
      /** An API key, sent as `Authorization: Bearer …`. */
      key?: string;
      body?: unknown | FormData;
      csrf?: boolean;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const form = options.body instanceof FormData;
    if (options.body !== undefined && !form) headers["content-type"] = "application/json";
    if (options.as) {
      const session = await signIn(options.as);
      headers.cookie = session.cookie;
      if (options.csrf !== false) headers["x-csrf-token"] = session.csrf;
    }
    const response = await app.request(path, {
      method,
      headers,
      body: form
        ? (options.body as FormData)
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
    });
    // Keep a byte-order mark if there is one (response.text() would drop it).
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // CSV and empty bodies stay text.
    }
    return { status: response.status, headers: response.headers, body: body as ApiAnswer["body"] };
  }

  /** Polls a job until it is done (the in-process queue runs it meanwhile). */
  async function waitForJob(id: string, as: string) {
    for (let i = 0; i < 600; i++) {
      const job = await call("GET", `/api/jobs/${id}`, { as });
      if (job.body.status !== "queued" && job.body.status !== "running") return job.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${id} did not finish`);
  }

  /** Drops the kept session of one person (or everyone's): the next call signs in again. */
  function forget(email?: string) {
    if (email) sessions.delete(email);
    else sessions.clear();
  }

  return { call, signIn, forget, waitForJob };
}
