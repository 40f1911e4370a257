/** The one typed client the web app uses; it speaks only to the public HTTP API. */

export interface Health {
  status: "ok" | "degraded";
  version: string;
  database: { ok: boolean; driver: "pglite" | "pg" | "neon"; latencyMs: number; error?: string };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request<T>(
  path: string,
  init?: RequestInit,
  acceptStatuses: number[] = [],
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: "application/json", ...init?.headers },
    });
  } catch {
    throw new ApiError(0, "network.unreachable", "The server cannot be reached.");
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok && !acceptStatuses.includes(response.status)) {
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http.error",
      error?.message ?? response.statusText,
    );
  }
  return body as T;
}

export const api = {
  /** 503 still carries a health report (the database is down), so it is not an error here. */
  health: () => request<Health>("/health", undefined, [503]),
};
