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
