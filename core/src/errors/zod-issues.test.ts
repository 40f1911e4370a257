import { describe, expect, it } from "vitest";
import { Mapping, resolveMapping } from "../mapping/mapping.ts";
import { describeIssues } from "./zod-issues.ts";

const mappingIssues = (json: unknown) => {
  const parsed = Mapping.safeParse(json);
  if (parsed.success) throw new Error("expected the mapping to be refused");
  return describeIssues(parsed.error.issues);
};

describe("describeIssues", () => {
  it.each([
    {
      why: "a wrong option inside a column's object: the object branch's complaint, with the allowed values",
      fields: { order_date: { column: "Date", dateFormat: "mm/dd/yyyy" } },
      expected:
        'fields.order_date.dateFormat: Invalid option: expected one of "dmy"|"mdy"|"ymd"|"excel"',
    },
    {
      why: "neither a column name nor an object: the union's own complaint",
      fields: { order_date: 12 },
      expected: "fields.order_date: Invalid input",
    },
    {
      why: "an empty column name",
      fields: { order_date: "" },
      expected: "fields.order_date: Too small: expected string to have >=1 characters",
    },
  ])("$why", ({ fields, expected }) => {
    expect(mappingIssues({ entity: "order_lines", fields })).toBe(expected);
  });

  it("names a missing field at the top and joins several complaints", () => {
    expect(mappingIssues({ fields: { a: 1 } })).toMatch(/^entity: .+; fields\.a: Invalid input$/);
  });
});

describe("a mapping naming a field the entity does not have", () => {
  const resolve = (field: string) => () =>
    resolveMapping({ entity: "order_lines", fields: { [field]: "Date" } }, ["Date"]);

  it("suggests the likeliest field meant and lists them all", () => {
    expect(resolve("order_dat")).toThrow(
      /^"order_dat" is not a field of order_lines\. Did you mean "order_date"\? Its fields: .*order_date/,
    );
  });

  it("suggests nothing when no field is close", () => {
    expect(resolve("colour")).toThrow(/^"colour" is not a field of order_lines\. Its fields: /);
  });
});
