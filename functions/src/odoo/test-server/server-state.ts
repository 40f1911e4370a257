import type { ServerResponse } from "node:http";
import type { CallHook, ExecuteEnv } from "./execute.ts";
import { answerProxyPage } from "./http-answers.ts";
import type { Fault, FaultQueue } from "./faults.ts";
import type { Store } from "./store.ts";
import type { VersionTraits } from "./versions.ts";

export interface FakeUser {
  uid: number;
  login: string;
  password: string;
  apiKeys?: string[];
  /** Models this user may not use: any method on them is an AccessError. */
  denied?: string[];
}

export interface CallRecord {
  /** "http" is for the routes that are neither: /web/version and unknown paths. */
  protocol: "jsonrpc" | "json2" | "http";
  service?: string;
  model?: string;
  method: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  /** The HTTP status sent; 0 while unanswered (a held "timeout" request stays at 0). */
  status: number;
}

/** Everything the route handlers share. */
export interface ServerState {
  traits: VersionTraits;
  store: Store;
  databases: string[];
  users: FakeUser[];
  faults: FaultQueue;
  calls: CallRecord[];
  onCall: CallHook | null;
  /** Responses held by a "timeout" fault, released (destroyed) on close. */
  held: Set<ServerResponse>;
}

export const executeEnv = (state: ServerState): ExecuteEnv => ({
  store: state.store,
  traits: state.traits,
  deniedModels: (uid) => state.users.find((u) => u.uid === uid)?.denied ?? [],
  onCall: state.onCall,
});

/** The user a password or an API key belongs to (res.users._check_credentials). */
export const userByCredential = (state: ServerState, uid: number, secret: unknown) =>
  state.users.find(
    (u) => u.uid === uid && (u.password === secret || (u.apiKeys ?? []).includes(String(secret))),
  );

/**
 * The faults every protocol answers the same way: a held request, or a proxy's page. Returns
 * true when the fault has been dealt with; other kinds are the protocol's to serialize.
 */
export function applyTransportFault(
  state: ServerState,
  res: ServerResponse,
  fault: Fault,
  record: CallRecord,
): boolean {
  if (fault.kind === "timeout") {
    state.held.add(res);
    return true;
  }
  if (fault.kind === "http" && fault.status !== 500) {
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
    record.status = answerProxyPage(res, fault.status, headers);
    return true;
  }
  return false;
}
