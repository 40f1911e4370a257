import { describe, expect, it } from "vitest";
import { createLogger, LazyRequestLog } from "./log.ts";

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
