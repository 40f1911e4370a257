export type Match = { model?: string; method?: string };

export type Fault =
  /** Never answers (until the server closes), so the client's timeout fires. */
  | { kind: "timeout"; times?: number; match?: Match }
  /** 502/503/429 as nginx in front of Odoo sends them (HTML); 500 as Odoo does for the protocol. */
  | {
      kind: "http";
      status: 500 | 502 | 503 | 429;
      retryAfter?: number;
      times?: number;
      match?: Match;
    }
  /** As if the password or API key had been revoked. */
  | { kind: "access_denied"; times?: number; match?: Match }
  | { kind: "session_expired"; times?: number; match?: Match }
  /**
   * A Python exception that escaped the ORM, serialized by Odoo. `name` is its qualified class
   * name (default `builtins.Exception`), e.g. `psycopg2.errors.SerializationFailure`.
   */
  | { kind: "server_error"; message: string; name?: string; times?: number; match?: Match };

/** Faults wait in the order they were injected; the first one matching a request is used. */
export function createFaultQueue() {
  const pending: Array<{ fault: Fault; left: number }> = [];
  return {
    inject(fault: Fault) {
      pending.push({ fault, left: fault.times ?? 1 });
    },
    /** The fault to apply to a request for this model and method, if any (counts one use). */
    take(target: { model?: string; method?: string }): Fault | null {
      const index = pending.findIndex(
        ({ fault }) =>
          (fault.match?.model === undefined || fault.match.model === target.model) &&
          (fault.match?.method === undefined || fault.match.method === target.method),
      );
      if (index < 0) return null;
      const entry = pending[index]!;
      entry.left -= 1;
      if (entry.left <= 0) pending.splice(index, 1);
      return entry.fault;
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;
