import type { ImportEntity } from "../mapping/canonical-fields.ts";
import type { CanonicalRecord } from "../import/build-record.ts";
import { toAppellation } from "../normalize/appellation.ts";
import { hasLegalForm } from "../normalize/company.ts";
import { toCountryCode } from "../normalize/country.ts";
import { normalizeEmail, severalEmails, suggestEmail } from "../normalize/email.ts";
import { splitFullName } from "../normalize/person-name.ts";
import { normalizePhone } from "../normalize/phone.ts";
import { normalizePostalCode } from "../normalize/postal-code.ts";
import { sizeFromLabel, vintageFromLabel } from "../normalize/wine-label.ts";
import { type Anomaly, anomaly } from "./anomaly-catalogue.ts";

export interface NormalizedRecord {
  record: CanonicalRecord;
  anomalies: Anomaly[];
}

/**
 * The estate's house rules applied to every imported record, whatever the mapping: e-mails lower
 * case, phones in E.164 (France by default), French postal codes with their leading zero, countries
 * as ISO codes, appellations as their official names, a full name split when first and last names are not given apart, a wine's vintage
 * and bottle size read from its label when no column gives them. A value that does not pass is
 * kept as written and reported as an anomaly: nothing is dropped or invented.
 */
export function normalizeRecord(
  entity: ImportEntity,
  input: CanonicalRecord,
  defaultCountry = "FR",
): NormalizedRecord {
  const record: CanonicalRecord = { ...input };
  const anomalies: Anomaly[] = [];
  if (entity === "customers") {
    if (typeof record.full_name === "string" && !record.last_name && !record.first_name) {
      const name = splitFullName(record.full_name);
      record.last_name = name.lastName;
      record.first_name = name.firstName;
      if (!record.civility) record.civility = name.civility;
    }
    delete record.full_name;
    // A company with a legal form (EARL, SARL…) buys as a business, when the file does not say.
    if (!("kind" in record) && typeof record.company === "string" && hasLegalForm(record.company))
      record.kind = "trade";
    if (typeof record.email === "string") {
      const email = normalizeEmail(record.email);
      const several = email.valid ? undefined : severalEmails(record.email);
      if (several) {
        // The first is mailed; the anomaly keeps them all for staff (Odoo does the same).
        record.email = several[0]!;
        if (several.length > 1)
          anomalies.push(anomaly("email.several", "email", several.join(", ")));
      } else {
        record.email = email.value;
        if (!email.valid) anomalies.push(invalidEmail(email.value!));
      }
    }
    if (typeof record.country === "string") {
      const code = toCountryCode(record.country);
      if (code) record.country = code;
      else anomalies.push(anomaly("country.unknown", "country", record.country));
    }
    // A national number is read as the customer's country writes it (a Swiss 079…), else the
    // estate's.
    const country =
      typeof record.country === "string" && record.country.length === 2
        ? record.country
        : defaultCountry;
    const readable = { phone: false, mobile: false };
    for (const key of ["phone", "mobile"] as const) {
      if (typeof record[key] !== "string") continue;
      const phone = normalizePhone(record[key], country);
      record[key] = phone.value;
      readable[key] = phone.valid;
      if (!phone.valid) anomalies.push(anomaly("phone.invalid", key, phone.value));
    }
    // The number to call: the landline, else the mobile; a number that could be read before one
    // that could not (an unreadable landline does not hide a good mobile). The mobile is kept too.
    if ("mobile" in record)
      record.phone =
        readable.mobile && !readable.phone ? record.mobile : (record.phone ?? record.mobile);
    if (typeof record.postal_code === "string") {
      const code = normalizePostalCode(record.postal_code, country);
      record.postal_code = code.value;
      if (!code.valid) anomalies.push(anomaly("postal_code.invalid", "postal_code", code.value));
    }
    if (!record.email && !record.phone) anomalies.push(anomaly("customer.no_contact", null, null));
  }
  if (entity === "products" && typeof record.appellation === "string") {
    record.appellation = toAppellation(record.appellation) ?? record.appellation;
  }
  if (entity === "products" && typeof record.name === "string") {
    if (record.vintage === undefined || record.vintage === null) {
      const vintage = vintageFromLabel(record.name);
      if (vintage !== null) record.vintage = vintage;
    }
    if (record.size_ml === undefined || record.size_ml === null) {
      const size = sizeFromLabel(record.name);
      if (size !== null) record.size_ml = size;
    }
  }
  return { record, anomalies };
}

/** An invalid e-mail's anomaly, with the address it most likely meant for staff to check. */
function invalidEmail(value: string): Anomaly {
  const found = anomaly("email.invalid", "email", value);
  const likely = suggestEmail(value);
  if (!likely) return found;
  return {
    ...found,
    message: {
      fr: `${found.message.fr} (sans doute ${likely})`,
      en: `${found.message.en} (probably ${likely})`,
    },
  };
}
