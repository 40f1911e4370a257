import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, LazyRequestLog } from "./log.ts";
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
  it("writes one short line per entry: a request as method, path, status and time; redacted", () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createPrettyLogger("info", sink, false);
    new LazyRequestLog(log, { requestId: "req-9" }).info(
      { method: "GET", path: "/api/recommendations", status: 200, durationMs: 4 },
      "request",
    );
    log.warn({ jobs: 2, user: { email: "anne@exemple.fr" } }, "unfinished jobs queued again");
    log.debug({}, "not at info");
    const lines = chunks.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/recommendations → 200 \(4 ms\)$/,
    );
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: unfinished jobs queued again /);
    expect(lines[1]).toContain('"jobs":2');
    expect(lines[1]).toContain('"email":"[redacted]"');
    expect(lines.join("\n")).not.toContain("crm-reco"); // the service name, on every JSON line
  });
});
