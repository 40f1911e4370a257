import { Route, Router } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../lib/i18n.ts";
import { UncertainMapping } from "./uncertain-mapping.tsx";

const shown = () =>
  render(() => (
    <Router>
      <Route
        path="*"
        component={() => (
          <UncertainMapping
            sourceId="s-1"
            entity="customers"
            fields={[
              { field: "city", column: "Vile", confidence: 0.8 },
              { field: "first_name", column: "Prenon", confidence: 0.83 },
            ]}
          />
        )}
      />
    </Router>
  ));

describe("UncertainMapping", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it("names each column and the field it became, as the mapping editor does, and leads to it", () => {
    shown();
    const notice = screen.getByTestId("uncertain-mapping");
    // Percentages as French writes them, with a narrow no-break space.
    expect(notice.textContent).toMatch(
      /« Vile » lue comme Ville \(80\s%\) ; « Prenon » lue comme Prénom \(83\s%\)/,
    );
    const link = screen.getByRole("link", { name: "Vérifier la correspondance" });
    expect(link.getAttribute("href")).toBe("/mappings/new?source=s-1&entity=customers");
  });

  it("speaks English when asked", () => {
    setLocale("en");
    shown();
    expect(screen.getByTestId("uncertain-mapping").textContent).toContain(
      '"Vile" read as City (80%)',
    );
  });
});
