import { Router } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { CustomerRecommendations } from "./customer-recommendations.tsx";

const shown = (nextAllowedOn: string | null) =>
  render(() => (
    <Router
      root={() => (
        <CustomerRecommendations
          recommendations={[]}
          lastContact={
            nextAllowedOn
              ? { at: "2026-12-04T10:00:00.000Z", channel: "email", nextAllowedOn }
              : null
          }
          today="2026-12-10"
        />
      )}
    />
  ));

describe("CustomerRecommendations", () => {
  afterEach(cleanup);

  it("says why a customer written to lately has no new proposal, and until when", () => {
    shown("2027-04-18");
    expect(screen.getByTestId("contact-rest").textContent).toBe(
      "Contacté le 4 déc. 2026 : pas de nouvelle proposition avant le 18 avr. 2027 (écart minimal entre deux sollicitations, dans les règles de campagne).",
    );
    expect(screen.getByText("Aucune recommandation pour ce client.")).toBeTruthy();
  });

  it("says nothing of a contact whose gap is over, or of no contact at all", () => {
    shown("2026-12-10");
    expect(screen.queryByTestId("contact-rest")).toBeNull();
    cleanup();
    shown(null);
    expect(screen.queryByTestId("contact-rest")).toBeNull();
  });
});
