// Deliberately simple: one @, a dotted domain, no spaces. Full RFC 5322 accepts addresses no
// mailing tool will send to; this rejects what staff would call a typo.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;

export interface NormalizedEmail {
  value: string | null;
  valid: boolean;
}

/** Endings typed for `.com` or `.fr` that no domain has: mail to them bounces. */
const NOT_AN_ENDING = /\.(con|fe|ft)$/;

/**
 * Lower-cased and trimmed, `mailto:` and the angle brackets of `Jean Dupont <jean@dupont.fr>`
 * (as Odoo and mail clients write an address) removed; `valid` says if it can be mailed.
 */
export function normalizeEmail(text: string): NormalizedEmail {
  const value = text
    .trim()
    .replace(/^mailto:/i, "")
    .replace(/^[^<>@]*<([^<>]+)>$/, "$1")
    .trim()
    .toLowerCase();
  if (value === "") return { value: null, valid: true };
  const local = value.slice(0, value.lastIndexOf("@"));
  const valid =
    EMAIL.test(value) &&
    !value.includes("..") &&
    !local.startsWith(".") &&
    !local.endsWith(".") &&
    !NOT_AN_ENDING.test(value);
  return { value, valid };
}

/**
 * The addresses of a field that holds several ("jean@x.fr; marie@x.fr", "Jean <jean@x.fr>,
 * Marie <marie@x.fr>", "jean@x.fr / marie@x.fr", one per line, or only spaces between them), as a
 * couple or a company shares one record. Odoo keeps such a field and mails its first address;
 * so do we. Each address once, in the field's order; undefined unless the field has two parts or
 * more and every one is a valid address: "jean.dupont@orange,fr" is one address with a slip.
 */
export function severalEmails(text: string): string[] | undefined {
  const read = (parts: string[]) => {
    const emails = parts.map((part) => part.trim()).filter((part) => part !== "");
    const normalized = emails.map(normalizeEmail);
    if (normalized.length < 2 || normalized.some((e) => !e.valid)) return undefined;
    return [...new Set(normalized.map((e) => e.value!))];
  };
  // "/" and "|" may be part of an address (RFC 5322): between two, they stand apart.
  return read(text.split(/[,;\n]|\s+[/|]\s+|\s+(?:et|and|ou|or)\s+/i)) ?? read(text.split(/\s+/));
}

/** The free mail domains French customers use, by the name typed without its ending. */
const MAIL_DOMAINS: Record<string, string> = {
  gmail: "gmail.com",
  hotmail: "hotmail.fr",
  yahoo: "yahoo.fr",
  outlook: "outlook.fr",
  orange: "orange.fr",
  wanadoo: "wanadoo.fr",
  free: "free.fr",
  sfr: "sfr.fr",
  laposte: "laposte.net",
  icloud: "icloud.com",
};

/**
 * The address an invalid e-mail most likely meant, when the slips that made it invalid are the
 * usual ones: a doubled "@", a comma for a dot, spaces around the "@" or a dot, a doubled or
 * stray dot, `.con` for `.com`, a free mail domain without its ending ("@gmail"). Nothing when
 * no such repair gives a valid address (staff ask the customer), nor when a space is left inside
 * the name ("jean dupont@": jean.dupont? jeandupont?): never a guess at the name.
 */
export function suggestEmail(value: string): string | undefined {
  let fixed = value
    .trim()
    .toLowerCase()
    .replace(/@{2,}/g, "@")
    .replace(/[,;]/g, ".")
    .replace(/\s*([@.])\s*/g, "$1")
    .replace(/\.{2,}/g, ".")
    .replace(/\.+@|@\.+/g, "@")
    .replace(/^\.+|\.+$/g, "")
    .replace(/\.con$/, ".com")
    .replace(/\.f[et]$/, ".fr");
  const at = fixed.indexOf("@");
  if (/\s/.test(fixed) || at < 0 || at !== fixed.lastIndexOf("@")) return undefined;
  const domain = fixed.slice(at + 1);
  if (Object.hasOwn(MAIL_DOMAINS, domain))
    fixed = `${fixed.slice(0, at + 1)}${MAIL_DOMAINS[domain]}`;
  const repaired = normalizeEmail(fixed);
  return repaired.valid && repaired.value !== value ? repaired.value! : undefined;
}
