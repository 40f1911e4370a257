import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { CustomerDetail } from "../../lib/api.ts";
import { CustomerProfile } from "./customer-profile.tsx";

const customer = (expectedNextOrderOn: string): CustomerDetail => ({
  id: "c-1",
  code: "C0141",
  name: "Anne Keller",
  email: "anne@exemple.fr",
  city: "Colmar",
  kind: "private",
  tier: "loyal",
  consentEmail: "opt_in",
  lastOrderOn: "2026-02-10",
  qualityScore: 90,
  lastContact: null,
  civility: "Mme",
  firstName: "Anne",
  lastName: "Keller",
  company: null,
  phone: null,
  mobile: null,
  addressLine1: null,
  postalCode: null,
  country: null,
  consents: [],
  mergedInto: null,
  segment: { recency: 3, frequency: 4, monetary: 4, reorderIntervalDays: 180, expectedNextOrderOn },
  identities: [],
  merges: [],
  orders: [],
  recommendations: [],
});

describe("CustomerProfile", () => {
  afterEach(cleanup);

  const ahead = (days: number) =>
    new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it("says a customer whose expected purchase date has gone by is late", () => {
    render(() => <CustomerProfile customer={customer(ahead(-60))} />);
    expect(screen.getByTestId("next-order").textContent).toMatch(
      /^\d{1,2} \S+ \d{4} \(en retard\)$/,
    );
  });

  it("gives a date still to come as it is", () => {
    render(() => <CustomerProfile customer={customer(ahead(30))} />);
    expect(screen.getByTestId("next-order").textContent).toMatch(/^\d{1,2} \S+ \d{4}$/);
  });
});
