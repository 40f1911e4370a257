import { afterEach, describe, expect, it, vi } from "vitest";
import type { Job } from "./api.ts";
import { setLocale } from "./i18n.ts";
import { followJob, importOutcome } from "./jobs.ts";

const job = (
  status: Job["status"],
  result: Job["result"] = null,
  error: Job["error"] = null,
): Job => ({
  id: "00000000-0000-4000-8000-0000000000aa",
  kind: "import",
  status,
  result,
  error,
});

describe("an import's or a sync's outcome", () => {
  afterEach(() => setLocale("fr"));

  it.each([
    [
      "a file import that succeeded",
      job("succeeded", { status: "partial", rowsRead: 120, rowsRejected: 3, errors: [] }),
      { ok: true, rowsRead: 120, rowsRejected: 3 },
    ],
    [
      "a file import whose columns were recognised by near names",
      job("succeeded", {
        status: "succeeded",
        rowsRead: 12,
        rowsRejected: 0,
        uncertainFields: [{ field: "city", column: "Vile", confidence: 0.8 }],
        errors: [],
      }),
      {
        ok: true,
        rowsRead: 12,
        rowsRejected: 0,
        uncertain: [{ field: "city", column: "Vile", confidence: 0.8 }],
      },
    ],
    [
      "a customers file without some customers of earlier ones",
      job("succeeded", {
        status: "succeeded",
        rowsRead: 2,
        rowsRejected: 0,
        warnings: [
          { code: "encoding.late", message: "…" },
          { code: "customers.absent", message: "…", details: { count: 2, sample: ["C2", "C4"] } },
        ],
        errors: [],
      }),
      { ok: true, rowsRead: 2, rowsRejected: 0, absent: { count: 2, sample: ["C2", "C4"] } },
    ],
    [
      "an Odoo sync, its runs added up",
      job("succeeded", {
        status: "succeeded",
        runs: [
          { entity: "customers", rowsRead: 40, rowsRejected: 1 },
          { entity: "order_lines", rowsRead: 200, rowsRejected: 0 },
        ],
        errors: [],
      }),
      { ok: true, rowsRead: 240, rowsRejected: 1 },
    ],
    [
      "a job that succeeded running an import that failed, in French by its code",
      job("succeeded", {
        status: "failed",
        rowsRead: 0,
        errors: [{ code: "import.empty", message: "The file is empty." }],
      }),
      { ok: false, reason: "Le fichier est vide." },
    ],
    [
      "a sync that imported one model and failed on another, its counts kept",
      job("succeeded", {
        status: "partial",
        runs: [{ entity: "customers", rowsRead: 40, rowsRejected: 0 }],
        errors: [{ code: "odoo.model_failed", message: "sale.order.line: access denied" }],
      }),
      { ok: true, rowsRead: 40, rowsRejected: 0, problem: "sale.order.line: access denied" },
    ],
    [
      "a dead job, with the queue's own error",
      job("dead", null, { code: null, message: "Worker crashed" }),
      { ok: false, reason: "Worker crashed" },
    ],
    [
      "a job whose file was deleted before it ran (an erasure), in French",
      job("failed", null, { code: "blob.not_found", message: "No file stored at uploads/x.csv." }),
      {
        ok: false,
        reason:
          "Le fichier n'est plus conservé (supprimé, par exemple avec les données d'une personne effacée) : envoyez-le à nouveau.",
      },
    ],
    ["a failed job saying nothing", job("failed"), { ok: false, reason: "Échec" }],
  ])("reads %s", (_, ended, outcome) => {
    expect(importOutcome(ended, "Échec")).toEqual(outcome);
  });
});

describe("following a job", () => {
  afterEach(() => vi.unstubAllGlobals());

  /** The server's answers to each poll, in turn. */
  function serve(answers: Job[]) {
    const asked: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify(answers.shift()), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    });
    return asked;
  }

  it("asks until the job ends, telling each answer", async () => {
    const asked = serve([job("running"), job("succeeded", { rowsRead: 1 })]);
    const seen: string[] = [];
    const ended = await followJob(job("queued"), {
      everyMs: 1,
      onUpdate: (update) => seen.push(update.status),
    });
    expect(ended.status).toBe("succeeded");
    expect(seen).toEqual(["running", "succeeded"]);
    expect(asked).toEqual([
      "/api/jobs/00000000-0000-4000-8000-0000000000aa",
      "/api/jobs/00000000-0000-4000-8000-0000000000aa",
    ]);
  });

  it("does not ask about a job already over, and stops once nobody waits", async () => {
    const asked = serve([job("running"), job("running"), job("succeeded")]);
    expect((await followJob(job("failed"), { everyMs: 1 })).status).toBe("failed");
    expect(asked).toEqual([]);
    let polls = 0;
    const left = await followJob(job("queued"), {
      everyMs: 1,
      alive: () => polls < 1,
      onUpdate: () => polls++,
    });
    expect(left.status).toBe("running");
    expect(asked).toHaveLength(1);
  });
});
