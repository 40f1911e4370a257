import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { CustomerOrder } from "../../lib/api.ts";
import { CustomerTimeline } from "./customer-timeline.tsx";

const order = (documentNumber: string, orderDate: string, quantity: number): CustomerOrder => ({
  id: documentNumber,
  orderDate,
  documentNumber,
  source: "iSaVigne",
  channel: null,
  total: quantity * 12.5,
  bottles: quantity,
  creditNote: quantity < 0,
  lines: [
    {
      sku: "BA23",
      product: "Bourgogne Aligoté 2023",
      kind: "wine",
      quantity,
      unitPrice: 12.5,
      total: quantity * 12.5,
    },
  ],
});

describe("CustomerTimeline", () => {
  afterEach(cleanup);

  it("shows a credit note as one, and counts it as no order of the year", () => {
    render(() => (
      <CustomerTimeline
        orders={[
          order("AV00017", "2026-03-15", -2),
          order("F00120", "2026-03-01", 6),
          order("F00098", "2026-01-10", 12),
        ]}
      />
    ));
    const [year] = screen.getAllByTestId("timeline-year");
    expect(year!.querySelector("h3")!.textContent).toMatch(/^2026 2 commandes · 16 bouteilles · /);
    const heads = screen
      .getAllByTestId("timeline-order")
      .map((o) => o.querySelector("strong")!.textContent);
    expect(heads).toEqual(["Avoir AV00017", "Commande F00120", "Commande F00098"]);
  });
});
