/**
 * A fake Odoo server for tests: the JSON-RPC and JSON-2 protocols with Odoo's own envelopes,
 * statuses and error wording, over an in-memory ORM. Test-only; production code never imports it.
 *
 * Odoo sources checked (odoo/odoo unless said otherwise), per behaviour:
 * - /jsonrpc route and services: odoo/addons/base/controllers/rpc.py (≤18),
 *   addons/rpc/controllers.py (19.0); gone from addons/rpc/controllers/__init__.py on master,
 *   which only keeps /xmlrpc and /json/2 → 20.0 answers an unknown route (werkzeug 404 page).
 * - JSON-RPC envelope, error codes, "Invalid JSON data": odoo/http.py JsonRPCDispatcher
 *   (code 200 until 18.0, 0 from saas-18.1: PR #183902; 100 "Odoo Session Expired";
 *   404 "404: Not Found"); serialize_exception (name/debug/message/arguments/context).
 * - Wrong Content-Type on a typed route: _set_request_dispatcher (BadRequest ≤18, 415 in 19.0).
 * - common.version/login/authenticate: odoo/service/common.py (login and authenticate return
 *   False on bad credentials; RPC_VERSION_1). object.execute_kw: odoo/service/model.py
 *   (security.check on every call, "Object %s doesn't exist" UserError, NameError for other
 *   methods, int(uid)); get_public_method wording from 18.0 (17's call_kw used getattr).
 * - JSON-2: addons/rpc/controllers/json2.py (404 "the model %r does not exist", 404 for an
 *   unknown method, 422 "cannot call %s.%s with ids" and signature.bind errors, catch-all
 *   "Did you mean POST /json/2/<model>/<method>?"), odoo/http.py Json2Dispatcher.handle_error
 *   (UserError subclasses → their http_status, HTTP exceptions → code with
 *   arguments [description, code], others → 500), odoo/exceptions.py (http_status: UserError
 *   422, AccessDenied/AccessError 403, MissingError 404), base/models/ir_http.py
 *   _auth_method_bearer (401 "Invalid apikey", 401 'User not authenticated…' — PR #219446),
 *   Request._get_session_and_dbname (X-Odoo-Database, else the only database), and
 *   odoo/documentation content/developer/reference/external_api.rst (the 401 example).
 * - /web/version and /json/version (19.0+): addons/rpc/controllers/__init__.py.
 * - Access errors: base/models/ir_model.py _make_access_error and its tests (three paragraphs).
 * - Removed or renamed fields: res.partner.mobile removed in saas-18.2 (PR #189739, so still
 *   in 18.0 — the brief said 16–17 only), sale.order.line product_uom → product_uom_id in
 *   saas-18.1 (PR #186250), sale.order `done` state → `locked` in 17.0 (odoo-api notes).
 *
 * Not verified (taken from memory or chosen as plausible): the `debug` tracebacks (placeholders),
 * the psycopg2 wording for an unknown database, the SessionExpiredException status in JSON-2
 * (403), whether 16.0's common.authenticate already returned False (it raised AccessDenied in
 * older series), address-type and field labels, seeded record ids (countries, currencies,
 * activity types — To-Do is 4), the groups listed in access errors, model `_order`s of product
 * models, MissingError wording, the domain error wording in 19.0+, which records Odoo sorts
 * in what collation, and whether a line's change bumps its order's write_date (here it does not).
 *
 * Choices: search without `order` uses the model's `_order` as Odoo does (res.partner
 * "complete_name ASC, id DESC", sale.order "date_order desc, id desc"…), ties then go by id;
 * every call is atomic (rolled back on error); all databases share one set of data; the clock
 * only moves when the test moves it; a fresh database holds the records seed.ts lists.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeClock, type FakeClock } from "./clock.ts";
import type { CallHook } from "./execute.ts";
import { createFaultQueue, type Fault } from "./faults.ts";
import {
  answerJson,
  answerNotFoundPage,
  answerWerkzeugPage,
  INTERNAL_ERROR_DESCRIPTION,
} from "./http-answers.ts";
import { handleJson2 } from "./json2.ts";
import { handleJsonRpc } from "./jsonrpc.ts";
import { buildRegistry } from "./registry.ts";
import { seedDatabase } from "./seed.ts";
import {
  applyTransportFault,
  type CallRecord,
  type FakeUser,
  type ServerState,
} from "./server-state.ts";
import { createStore } from "./store.ts";
import type { CustomFields } from "./registry.ts";
import { traitsOf, versionInfo, type OdooVersion } from "./versions.ts";

export type { OdooVersion } from "./versions.ts";
export type { Fault, Match } from "./faults.ts";
export type { CallRecord, FakeUser } from "./server-state.ts";

export interface FakeOdooOptions {
  /** 16–18: /jsonrpc only; 19: /jsonrpc and /json/2; 20: /json/2 only (/jsonrpc is a 404). */
  version: OdooVersion;
  /** Default ["estate"]. All databases share the same data. */
  databases?: string[];
  /** Default: admin (uid 2, password "admin", no API key). */
  users?: FakeUser[];
  /**
   * mail installed → partners have is_blacklisted/email_normalized, mail.activity exists. Default
   * true. point_of_sale installed → pos.order and pos.order.line exist. mass_mailing installed
   * → mailing lists, their contacts and subscriptions exist. Both default false.
   */
  installed?: { mail?: boolean; pos?: boolean; massMailing?: boolean };
  /** The fake clock's start (write_date values come from it). Default: now, to the second. */
  start?: Date;
  /** Fields the estate added (`x_…`), per model, e.g. `{ "product.product": { x_vintage: "integer" } }`. */
  customFields?: CustomFields;
}

export interface FakeOdoo {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
  clock: FakeClock;
  /** Direct data access (no auth), behaving like the ORM: create/write stamp dates from the clock. */
  create(model: string, values: Record<string, unknown>): number;
  write(model: string, ids: number[], values: Record<string, unknown>): void;
  unlink(model: string, ids: number[]): void;
  /** Stored columns of every row (many2one as id or false, many2many as ids), copies. */
  records(model: string): Array<Record<string, unknown>>;
  /** The next `times` matching requests (default 1) fail this way, then service resumes. */
  inject(fault: Fault): void;
  /** Called before each ORM call (both protocols), e.g. to change data between pages. */
  onCall(hook: CallHook | null): void;
  /** Every request received, in order. */
  calls: CallRecord[];
}

export async function startFakeOdoo(options: FakeOdooOptions): Promise<FakeOdoo> {
  const traits = traitsOf(options.version);
  const installed = {
    mail: options.installed?.mail ?? true,
    pos: options.installed?.pos ?? false,
    massMailing: options.installed?.massMailing ?? false,
  };
  const start = options.start ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = createFakeClock(start);
  const store = createStore(buildRegistry(traits, installed, options.customFields), clock);
  const users = options.users ?? [{ uid: 2, login: "admin", password: "admin" }];
  seedDatabase(store, users, installed.mail);
  const state: ServerState = {
    traits,
    store,
    databases: options.databases ?? ["estate"],
    users,
    faults: createFaultQueue(),
    calls: [],
    onCall: null,
    held: new Set(),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        route(state, req, res, Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        // A bug in the fake itself: say so rather than imitate Odoo.
        answerWerkzeugPage(res, 500, "Internal Server Error", `fake Odoo bug: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    calls: state.calls,
    create: (model, values) => store.create(model, values),
    write: (model, ids, values) => store.write(model, ids, values),
    unlink: (model, ids) => store.unlink(model, ids),
    records: (model) => store.rows(model),
    inject: (fault) => state.faults.inject(fault),
    onCall: (hook) => {
      state.onCall = hook;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of state.held) res.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function route(state: ServerState, req: IncomingMessage, res: ServerResponse, raw: string) {
  const path = (req.url ?? "/").split("?")[0]!;
  const { traits } = state;
  if (path === "/web/webclient/version_info" || (path === "/jsonrpc" && traits.hasJsonRpc))
    return handleJsonRpc(state, req, res, raw);
  if ((path === "/json/2" || path.startsWith("/json/2/")) && traits.hasJson2)
    return handleJson2(state, req, res, raw);
  const record: CallRecord = {
    protocol: path === "/jsonrpc" ? "jsonrpc" : "http",
    method: `${req.method} ${path}`,
    status: 0,
  };
  state.calls.push(record);
  if ((path === "/web/version" || path === "/json/version") && traits.hasJson2) {
    record.method = "version";
    const fault = state.faults.take({ method: "version" });
    if (fault && applyTransportFault(state, res, fault, record)) return;
    if (fault) {
      record.status = answerWerkzeugPage(
        res,
        500,
        "Internal Server Error",
        INTERNAL_ERROR_DESCRIPTION,
      );
      return;
    }
    record.status = answerJson(res, 200, {
      version_info: versionInfo(traits),
      version: traits.version,
    });
    return;
  }
  record.status = answerNotFoundPage(res);
}
