import { f, related, type ModelDef, type RawValue, type StoreAccess } from "../model-types.ts";
import type { VersionTraits } from "../versions.ts";

/** base's res.partner (addons/base/models/res_partner.py), plus mail's blacklist fields. */
export function partnerModel(traits: VersionTraits, mailInstalled: boolean): ModelDef {
  const addressTypes: Array<[string, string]> =
    traits.major >= 18
      ? [
          ["contact", "Contact"],
          ["invoice", "Invoice"],
          ["delivery", "Delivery"],
          ["other", "Other"],
        ]
      : [
          ["contact", "Contact"],
          ["invoice", "Invoice Address"],
          ["delivery", "Delivery Address"],
          ...(traits.partnerHasPrivateType
            ? [["private", "Private Address"] as [string, string]]
            : []),
          ["other", "Other Address"],
        ];
  return {
    name: "res.partner",
    description: "Contact",
    order: "complete_name ASC, id DESC",
    displayName: (store, id) => String(store.value("res.partner", id, "complete_name") || ""),
    fields: {
      name: f.char("Name"),
      complete_name: f.char("Complete Name", {
        readonly: true,
        compute: (store, id) => partnerCompleteName(store, id, addressTypes),
      }),
      is_company: f.boolean("Is a Company", { default: false }),
      parent_id: f.many2one("res.partner", "Related Company"),
      child_ids: f.one2many("res.partner", "parent_id", "Contact"),
      commercial_partner_id: f.many2one("res.partner", "Commercial Entity", {
        readonly: true,
        compute: commercialPartner,
      }),
      type: f.selection("Address Type", addressTypes, { default: "contact" }),
      ref: f.char("Reference"),
      email: f.char("Email"),
      phone: f.char("Phone"),
      ...(traits.partnerHasMobile ? { mobile: f.char("Mobile") } : {}),
      street: f.char("Street"),
      street2: f.char("Street2"),
      zip: f.char("Zip"),
      city: f.char("City"),
      state_id: f.many2one("res.country.state", "State"),
      country_id: f.many2one("res.country", "Country"),
      country_code: f.char("Country Code", {
        readonly: true,
        compute: related("res.partner", "country_id.code"),
      }),
      lang: f.selection(
        "Language",
        [
          ["en_US", "English (US)"],
          ["fr_FR", "French / Français"],
        ],
        { default: "en_US" },
      ),
      vat: f.char("Tax ID"),
      category_id: f.many2many("res.partner.category", "Tags"),
      user_id: f.many2one("res.users", "Salesperson"),
      active: f.boolean("Active", { default: true }),
      company_id: f.many2one("res.company", "Company"),
      customer_rank: f.integer("Customer Rank", { default: 0 }),
      user_ids: f.one2many("res.users", "partner_id", "Users"),
      ...(mailInstalled
        ? {
            email_normalized: f.char("Normalized Email", {
              readonly: true,
              compute: (store, id) => normalizeEmail(store.value("res.partner", id, "email")),
            }),
            // `_compute_is_blacklisted`: an active mail.blacklist entry for the normalized address.
            // Not stored, so blacklisting someone leaves the partner's write_date as it was.
            is_blacklisted: f.boolean("Blacklist", {
              readonly: true,
              compute: (store, id) => {
                const email = store.value("res.partner", id, "email_normalized");
                return (
                  typeof email === "string" &&
                  store
                    .ids("mail.blacklist")
                    .some(
                      (b) =>
                        store.value("mail.blacklist", b, "active") === true &&
                        store.value("mail.blacklist", b, "email") === email,
                    )
                );
              },
            }),
          }
        : {}),
    },
  };
}

/** `_compute_complete_name`: a contact of a company reads "Company, Contact". */
function partnerCompleteName(
  store: StoreAccess,
  id: number,
  addressTypes: Array<[string, string]>,
): RawValue {
  const value = (field: string) => store.value("res.partner", id, field);
  let name = String(value("name") || "");
  const parent = value("parent_id");
  if (typeof parent !== "number") return name;
  const type = String(value("type"));
  if (!name && ["invoice", "delivery", "other"].includes(type))
    name = addressTypes.find(([key]) => key === type)?.[1] ?? "";
  if (value("is_company")) return name;
  const commercial = commercialPartner(store, parent);
  const companyName =
    typeof commercial === "number" && store.value("res.partner", commercial, "is_company")
      ? store.value("res.partner", commercial, "name")
      : store.value("res.partner", parent, "name");
  return `${String(companyName || "")}, ${name}`;
}

function commercialPartner(store: StoreAccess, id: number): RawValue {
  let current = id;
  for (let depth = 0; depth < 50; depth++) {
    const parent = store.value("res.partner", current, "parent_id");
    if (store.value("res.partner", current, "is_company") || typeof parent !== "number")
      return current;
    current = parent;
  }
  return current;
}

/** `odoo.tools.email_normalize`: the address part, lower-cased, or false when there is none. */
export function normalizeEmail(email: RawValue): RawValue {
  if (typeof email !== "string") return false;
  const inBrackets = /<([^>]+)>/.exec(email)?.[1];
  const address = (inBrackets ?? email).trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+$/.test(address) ? address : false;
}

export const baseSmallModels: ModelDef[] = [
  {
    name: "res.partner.category",
    description: "Partner Tags",
    order: "name",
    fields: { name: f.char("Tag Name", { required: true }) },
  },
  {
    name: "res.country",
    description: "Country",
    order: "name",
    fields: {
      name: f.char("Country Name", { required: true }),
      code: f.char("Country Code"),
    },
  },
  {
    name: "res.country.state",
    description: "Country state",
    order: "code",
    fields: {
      name: f.char("State Name", { required: true }),
      code: f.char("State Code", { required: true }),
      country_id: f.many2one("res.country", "Country", { required: true }),
    },
  },
  {
    name: "res.users",
    description: "User",
    order: "name, login",
    fields: {
      login: f.char("Login", { required: true }),
      name: f.char("Name", {
        compute: related("res.users", "partner_id.name"),
        inverse: (store, id, value) => {
          const partner = store.value("res.users", id, "partner_id");
          if (typeof partner === "number") store.write("res.partner", [partner], { name: value });
        },
      }),
      partner_id: f.many2one("res.partner", "Related Partner", {
        required: true,
        ondelete: "cascade",
      }),
      active: f.boolean("Active", { default: true }),
      // Computed from the groups in Odoo (stored): an external (portal or public) user, such as
      // a customer who made an account on the estate's web shop.
      share: f.boolean("Share User", { default: false }),
    },
  },
  {
    name: "res.company",
    description: "Companies",
    order: "name",
    fields: {
      name: f.char("Company Name", { required: true }),
      partner_id: f.many2one("res.partner", "Partner", { required: true }),
      currency_id: f.many2one("res.currency", "Currency", { required: true }),
    },
  },
  {
    name: "res.currency",
    description: "Currency",
    order: "active desc, name",
    fields: {
      name: f.char("Currency", { required: true }),
      symbol: f.char("Symbol", { required: true }),
      active: f.boolean("Active", { default: true }),
    },
  },
  {
    name: "ir.model",
    description: "Models",
    order: "model",
    fields: {
      name: f.char("Model Description", { required: true }),
      model: f.char("Model", { required: true }),
    },
  },
  {
    name: "crm.team",
    description: "Sales Team",
    order: "create_date DESC, id DESC",
    fields: { name: f.char("Sales Team", { required: true }) },
  },
];

/**
 * Units of measure (addons/uom/models/uom_uom.py). Up to 18, a unit is `factor` times smaller
 * than its category's reference (a carton of 6: 1/6, "bigger"); from 19 there are no categories:
 * a unit contains `relative_factor` of its reference unit, and `factor` is the absolute quantity
 * (a carton of 6: 6).
 */
export function uomModel(traits: VersionTraits): ModelDef {
  const relative = traits.major >= 19;
  return {
    name: "uom.uom",
    description: "Product Unit of Measure",
    order: "id",
    fields: relative
      ? {
          name: f.char("Unit Name", { required: true }),
          relative_factor: f.float("Contains", { required: true, default: 1 }),
          relative_uom_id: f.many2one("uom.uom", "Reference Unit"),
          factor: f.float("Absolute Quantity", {
            readonly: true,
            compute: (store, id) => absoluteFactor(store, id),
          }),
        }
      : {
          name: f.char("Unit of Measure", { required: true }),
          factor: f.float("Ratio", { required: true, default: 1 }),
          uom_type: f.selection(
            "Type",
            [
              ["bigger", "Bigger than the reference Unit of Measure"],
              ["reference", "Reference Unit of Measure for this category"],
              ["smaller", "Smaller than the reference Unit of Measure"],
            ],
            { default: "reference" },
          ),
        },
  };
}

function absoluteFactor(store: StoreAccess, id: number): number {
  let factor = 1;
  for (let unit: RawValue = id, depth = 0; typeof unit === "number" && depth < 10; depth++) {
    factor *= Number(store.value("uom.uom", unit, "relative_factor") || 1);
    unit = store.value("uom.uom", unit, "relative_uom_id");
  }
  return factor;
}
