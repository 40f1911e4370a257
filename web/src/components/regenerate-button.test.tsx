import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Job } from "../lib/api.ts";
import { setLocale } from "../lib/i18n.ts";
import { RegenerateButton } from "./regenerate-button.tsx";

const job = (status: Job["status"], extra: Partial<Job> = {}): Job => ({
  id: "00000000-0000-4000-8000-0000000000aa",
  kind: "regenerate",
  status,
  result: null,
  error: null,
  ...extra,
});
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The server's answers in turn: the queued job, then each poll. */
function serve(answers: Response[]) {
  const urls: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    urls.push(url);
    return answers.shift() ?? json(500, {});
  });
  return urls;
}

describe("RegenerateButton", () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    setLocale("fr");
  });

  it("follows the job from the queue to its end, then reloads the list once", async () => {
    const urls = serve([
      json(202, job("queued")),
      json(200, job("running")),
      json(200, job("succeeded", { result: { recommendations: 396, customers: 132 } })),
    ]);
    let reloads = 0;
    render(() => <RegenerateButton onDone={() => reloads++} pollMs={5} />);
    fireEvent.click(screen.getByRole("button", { name: "Recalculer les recommandations" }));
    await waitFor(() =>
      expect(screen.getByTestId("regenerate-progress").textContent).toBe(
        "Étape 3 sur 3 : terminé. 396 recommandations pour 132 clients ; la liste est à jour.",
      ),
    );
    expect(reloads).toBe(1);
    expect(urls).toEqual([
      "/api/recommendations/regenerate",
      `/api/jobs/${job("queued").id}`,
      `/api/jobs/${job("queued").id}`,
    ]);
    expect(screen.getByRole("button")).toHaveProperty("disabled", false);
  });

  it("says the computation failed, in words, and does not reload", async () => {
    serve([
      json(202, job("running")),
      json(
        200,
        job("failed", {
          error: { code: "recommend.no_history", message: "Importez d'abord des ventes." },
        }),
      ),
    ]);
    let reloads = 0;
    render(() => <RegenerateButton onDone={() => reloads++} pollMs={5} />);
    fireEvent.click(screen.getByRole("button"));
    await waitFor(() =>
      expect(screen.getByTestId("regenerate-progress").textContent).toBe(
        "Le calcul a échoué : Importez d'abord des ventes.",
      ),
    );
    expect(reloads).toBe(0);
  });

  it("says when the job cannot be followed (the server is unreachable)", async () => {
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("fetch failed")));
    render(() => <RegenerateButton onDone={() => {}} pollMs={5} />);
    fireEvent.click(screen.getByRole("button"));
    await waitFor(() =>
      expect(screen.getByTestId("regenerate-progress").textContent).toBe(
        "Impossible de suivre le calcul : le serveur ne répond pas.",
      ),
    );
  });
});
