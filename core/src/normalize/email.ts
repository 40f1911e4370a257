// Deliberately simple: one @, a dotted domain, no spaces. Full RFC 5322 accepts addresses no
// mailing tool will send to; this rejects what staff would call a typo.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;

export interface NormalizedEmail {
  value: string | null;
  valid: boolean;
}

/** Lower-cased and trimmed, `mailto:` and surrounding `<>` removed; `valid` says if it can be mailed. */
export function normalizeEmail(text: string): NormalizedEmail {
  const value = text
    .trim()
    .replace(/^mailto:/i, "")
    .replace(/^<(.*)>$/, "$1")
    .trim()
    .toLowerCase();
  if (value === "") return { value: null, valid: true };
  return { value, valid: EMAIL.test(value) && !value.includes("..") };
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
 * usual ones: a doubled "@", a comma or a space for a dot, a doubled or stray dot, a free mail
 * domain without its ending ("@gmail"). Nothing when no such repair gives a valid address: staff
 * ask the customer. Never a guess at the name before the "@".
 */
export function suggestEmail(value: string): string | undefined {
  let fixed = value
    .trim()
    .toLowerCase()
    .replace(/@{2,}/g, "@")
    .replace(/\s+/g, "")
    .replace(/[,;]/g, ".")
    .replace(/\.{2,}/g, ".")
    .replace(/\.+@|@\.+/g, "@")
    .replace(/^\.+|\.+$/g, "");
  const at = fixed.indexOf("@");
  if (at < 0 || at !== fixed.lastIndexOf("@")) return undefined;
  const domain = fixed.slice(at + 1);
  const bare = domain.replace(/\.(con|cm|om|fe|ft)$/, "");
  if (MAIL_DOMAINS[bare]) fixed = `${fixed.slice(0, at + 1)}${MAIL_DOMAINS[bare]}`;
  const repaired = normalizeEmail(fixed);
  return repaired.valid && repaired.value !== value ? repaired.value! : undefined;
}
