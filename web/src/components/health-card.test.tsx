import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { Health } from "../lib/api.ts";
import { setLocale } from "../lib/i18n.ts";
import { HealthCard } from "./health-card.tsx";

const healthy: Health = {
  status: "ok",
  version: "0.1.0",
  database: { ok: true, driver: "pglite", latencyMs: 1234 },
};

describe("HealthCard", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it.each([
    ["fr", healthy, "Opérationnel", "PGlite intégrée — répond en 1\u202f234 ms"],
    ["en", healthy, "Operational", "embedded PGlite — answers in 1,234 ms"],
    [
      "fr",
      { ...healthy, status: "degraded", database: { ok: false, driver: "pg", latencyMs: 5 } },
      "Dégradé",
      "PostgreSQL — ne répond pas",
    ],
  ] as const)("in %s shows %j as %s", (locale, health, status, database) => {
    setLocale(locale);
    render(() => <HealthCard health={health as Health} onRetry={() => {}} />);
    expect(screen.getByTestId("health-status").textContent).toBe(status);
    expect(screen.getByTestId("health-database").textContent).toBe(database);
  });

  it("says the server is unreachable and offers a retry that calls back", async () => {
    let retries = 0;
    render(() => <HealthCard health={undefined} onRetry={() => retries++} />);
    expect(screen.getByTestId("health-status").textContent).toBe("Serveur injoignable");
    fireEvent.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(retries).toBe(1);
  });

  it("offers no retry when all is well", () => {
    render(() => <HealthCard health={healthy} onRetry={() => {}} />);
    expect(screen.queryByRole("button")).toBeNull();
  });
});
