import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDriver } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import type { Services } from "../services.ts";
import { searchFold, matchesQuery } from "./text-search.ts";

describe("searchFold", () => {
  it.each([
    ["Françoise ROBERT", "francoise robert"],
    ["Élodie", "elodie"],
    ["Cave Œnologie & Fils", "cave oenologie & fils"],
    ["Gewürztraminer", "gewurztraminer"],
    ["Dvořák", "dvořak"], // "á" folded, as the database folds it; "ř" kept
    ["E\u0301lodie", "elodie"], // an accent typed as a combining mark
  ])("%j → %j", (text, folded) => expect(searchFold(text)).toBe(folded));

  it("is idempotent", () =>
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(searchFold(searchFold(s))).toBe(searchFold(s));
      }),
    ));
});

describeEachDriver("matchesQuery", (driver) => {
  let services: Services & { close(): Promise<void> };
  beforeAll(async () => {
    services = await createTestServices(driver);
  });
  afterAll(async () => services?.close());

  const people = sql`(values
      ('C1', 'Françoise', 'ROBERT', null, 'f.robert@exemple.fr', '+33389412345', '+33612345678'),
      ('C2', 'Élodie', 'Martin', null, null, null, null),
      ('C3', null, null, 'SARL Cave Œnologie & Fils', null, '+41791234567', null),
      ('C4', 'Paul', 'Frank', 'Remise 50%', null, null, null),
      ('C5', 'Antonín', 'Dvořák', null, null, null, '+420601234567')
    ) as c(code, first_name, last_name, company, email, phone, mobile)`;
  const found = async (query: string) => {
    const match = matchesQuery(
      query,
      [sql`c.first_name`, sql`c.last_name`, sql`c.company`, sql`c.email`, sql`c.code`],
      [sql`c.phone`, sql`c.mobile`],
    );
    const rows = await queryRows<{ code: string }>(
      services.db.db,
      sql`select c.code from ${people} where ${match ?? sql`true`} order by c.code`,
    );
    return rows.map((r) => r.code);
  };

  it.each([
    ["francoise robert", ["C1"]],
    ["ROBERT Françoise", ["C1"]],
    ["ELODIE", ["C2"]],
    ["élodie martin", ["C2"]],
    ["oenologie", ["C3"]],
    ["ŒNOLOGIE", ["C3"]],
    ["06 12 34 56 78", ["C1"]],
    ["+33 6.12.34.56.78", ["C1"]],
    ["03 89 41 23 45", ["C1"]],
    ["079 123 45 67", ["C3"]],
    ["0612345679", []],
    ["50%", ["C4"]],
    ["5_%", []],
    ["robert martin", []],
    ["   ", ["C1", "C2", "C3", "C4", "C5"]],
    ["Dvořák", ["C5"]], // letters the database does not fold are matched as they are
    ["antonin dvořák", ["C5"]],
    ["000000", []], // zeros are no number to find in every phone
    ["00 33 6 12 34 56 78", ["C1"]],
    ["45336123", []], // not across the landline's end and the mobile's start
  ])("%j finds %j", async (query, codes) => {
    expect(await found(query)).toEqual(codes);
  });
});
