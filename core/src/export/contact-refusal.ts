import { normalizeEmail } from "../normalize/email.ts";
import { isE164 } from "./csv-cell.ts";

export type ContactChannel = "email" | "post" | "phone";
export type Consent = "opt_in" | "soft_opt_in" | "opt_out" | "unknown";

/** What deciding whether a customer may be contacted needs to know of them, for one channel. */
export interface Reachable {
  kind: "private" | "trade" | null;
  /** Their consent for that channel. */
  consent: Consent;
  email: string | null;
  phone: string | null;
  /** A postal address complete enough to send a letter to, or null. */
  address: string | null;
}

/**
 * Why a customer may not be contacted on a channel, or null when they may (French rules, CNIL): a
 * private customer needs consent (an opt-in; for email, the soft opt-in of an existing customer
 * also counts); a trade customer (B2B) may be contacted unless they objected. Unknown is never
 * consent for a private customer. The mailing export, the review list and the Odoo push all ask.
 */
export function refusalReason(row: Reachable, channel: ContactChannel): string | null {
  if (channel === "email" && !row.email) return "no_email";
  // The import keeps a mistyped address or an unreadable number as written, for staff to see and
  // mend (it writes every number it could read in E.164); a mailing tool would bounce them.
  if (channel === "email" && !normalizeEmail(row.email!).valid) return "invalid_email";
  if (channel === "phone" && !row.phone) return "no_phone";
  if (channel === "phone" && !isE164(row.phone!)) return "invalid_phone";
  if (channel === "post" && !row.address) return "no_address";
  if (row.consent === "opt_out") return "opted_out";
  if (row.kind === "trade") return null;
  if (row.consent === "opt_in") return null;
  if (row.consent === "soft_opt_in" && channel === "email") return null;
  return "no_consent";
}
