import type { FakeUser } from "./server-state.ts";
import type { Store } from "./store.ts";

/**
 * What a fresh database holds before the test adds its own records: the company and its
 * partner, the superuser, the public and portal-template users, the configured users with their partners, a few countries, EUR,
 * one unit of measure, sales team and product category, mail's activity types, and ir.model.
 * Ids follow a fresh Odoo where they are well known (partner 1 = company, user 2 = admin);
 * country ids are only plausible.
 */
export function seedDatabase(store: Store, users: FakeUser[], mailInstalled: boolean) {
  store.createWithId("res.currency", 1, { name: "EUR", symbol: "€" });
  store.createWithId("res.currency", 2, { name: "USD", symbol: "$" });
  store.createWithId("res.partner", 1, { name: "My Company", is_company: true });
  store.createWithId("res.company", 1, { name: "My Company", partner_id: 1, currency_id: 1 });
  store.createWithId("res.partner", 2, { name: "OdooBot", active: false });
  store.createWithId("res.users", 1, { login: "__system__", partner_id: 2, active: false });
  for (const user of users) {
    const partner = store.create("res.partner", {
      name: user.login === "admin" ? "Administrator" : user.login,
    });
    store.createWithId("res.users", user.uid, { login: user.login, partner_id: partner });
  }
  // The website's visitor and the template portal accounts are copied from: external, archived.
  for (const [id, login, name] of [
    [90, "public", "Public user"],
    [91, "portaltemplate", "Portal User Template"],
    [92, "public-user@company-2.com", "Public user for Domaine du Sud"],
  ] as const) {
    const partner = store.create("res.partner", { name, active: false });
    store.createWithId("res.users", id, { login, partner_id: partner, share: true, active: false });
  }
  const countries: Array<[number, string, string]> = [
    [20, "Belgium", "BE"],
    [43, "Switzerland", "CH"],
    [57, "Germany", "DE"],
    [75, "France", "FR"],
    [231, "United Kingdom", "GB"],
  ];
  for (const [id, name, code] of countries) store.createWithId("res.country", id, { name, code });
  store.createWithId("uom.uom", 1, { name: "Units" });
  store.createWithId("crm.team", 1, { name: "Sales" });
  store.createWithId("product.category", 1, { name: "All" });
  if (mailInstalled)
    for (const [id, name] of [
      [1, "Email"],
      [2, "Call"],
      [3, "Meeting"],
      [4, "To-Do"],
    ] as const)
      store.createWithId("mail.activity.type", id, { name });
  for (const model of Object.values(store.registry).sort((a, b) => a.name.localeCompare(b.name)))
    store.create("ir.model", { model: model.name, name: model.description });
}
