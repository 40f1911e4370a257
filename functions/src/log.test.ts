import { describe, expect, it } from "vitest";
import { createLogger, LazyRequestLog, onlyWarnings } from "./log.ts";
import { createPrettyLogger } from "./log-pretty.ts";

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("a request's log", () => {
  it("writes the lines its level lets through, each with the request's id, redacted", () => {
    const { log, lines } = capture("info");
    const requestLog = new LazyRequestLog(log, { requestId: "req-7" });
    requestLog.debug({ step: 1 }, "not at info");
    requestLog.info({ status: 200 }, "request");
    requestLog.error({ headers: { cookie: "crm_session=secret" } }, "unhandled error");
    expect(lines.map(({ level, msg, requestId }) => ({ level, msg, requestId }))).toEqual([
      { level: 30, msg: "request", requestId: "req-7" },
      { level: 50, msg: "unhandled error", requestId: "req-7" },
    ]);
    expect(lines[0]).toMatchObject({ status: 200, service: "crm-reco" });
    expect(lines[1]!.headers).toEqual({ cookie: "[redacted]" });
  });

  it("makes no child logger for a request that writes nothing at its level", () => {
    const { log, lines } = capture("warn");
    let children = 0;
    const child = log.child.bind(log);
    log.child = ((...args: Parameters<typeof child>) => (
      children++,
      child(...args)
    )) as typeof child;
    const requestLog = new LazyRequestLog(log, { requestId: "req-8" });
    requestLog.info({ status: 200 }, "request");
    requestLog.debug({}, "authenticated");
    expect(children).toBe(0);
    requestLog.warn({ reason: "wrong password" }, "sign-in refused");
    requestLog.warn({ reason: "again" }, "sign-in refused");
    expect(children).toBe(1);
    expect(lines.map((l) => l.requestId)).toEqual(["req-8", "req-8"]);
  });
});

describe("logs for a person at a terminal", () => {
  function prettyCapture() {
    const chunks: string[] = [];
    const log = createPrettyLogger("info", { write: (chunk: string) => chunks.push(chunk) }, false);
    return { log, lines: () => chunks.join("").trimEnd().split("\n") };
  }

  it("tells a request as method, path, status and time, its id only on a server error", () => {
    const { log, lines } = prettyCapture();
    const request = new LazyRequestLog(log, { requestId: "req-9" });
    request.info(
      { method: "GET", path: "/api/recommendations", status: 200, durationMs: 4 },
      "request",
    );
    new LazyRequestLog(log, { requestId: "req-10" }).info(
      { method: "POST", path: "/api/recommendations/bulk", status: 500, durationMs: 12 },
      "request",
    );
    expect(lines()).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/recommendations → 200 \(4 ms\)$/),
      expect.stringMatching(
        /^\[\d\d:\d\d:\d\d\] INFO: POST \/api\/recommendations\/bulk → 500 \(12 ms\) \{"requestId":"req-10"\}$/,
      ),
    ]);
  });

  it("keeps every field of other entries (a status, a request id), redacted, one line each", () => {
    const { log, lines } = prettyCapture();
    log.info({ status: "partial", rowsRead: 12 }, "odoo sync finished");
    new LazyRequestLog(log, { requestId: "req-11" }).error({ code: "x" }, "unhandled error");
    log.warn(
      { user: { email: "anne@exemple.fr", phone: "+33389412345", mobile: "+33612345678" } },
      "sign-in refused",
    );
    log.debug({}, "not at info");
    const [sync, error, refused] = lines();
    expect(lines()).toHaveLength(3);
    expect(sync).toMatch(/INFO: odoo sync finished \{"status":"partial","rowsRead":12\}$/);
    expect(error).toMatch(/ERROR: unhandled error .*"requestId":"req-11"/);
    expect(refused).toContain('"email":"[redacted]"');
    expect(refused).not.toMatch(/\+33/);
    expect(lines().join("\n")).not.toContain("crm-reco"); // the service name, on every JSON line
  });
});

describe("onlyWarnings", () => {
  it.each([
    ["debug", ["warn", "error"]],
    ["info", ["warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
  ])("keeps a %s log's warnings and errors, never more than it wrote: %j", (level, written) => {
    const { log, lines } = capture(level);
    const quiet = onlyWarnings(log);
    for (const l of ["debug", "info", "warn", "error"] as const) quiet[l]({}, l);
    expect(lines.map((line) => line.msg)).toEqual(written);
    log.info({}, "the log itself is unchanged");
    expect(lines.some((line) => line.msg === "the log itself is unchanged")).toBe(
      level !== "warn" && level !== "error",
    );
  });
});
