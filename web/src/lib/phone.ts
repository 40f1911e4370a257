/**
 * A stored number (E.164, "+33612345678") as the estate's staff write and dial it: a French one
 * in its national form, "06 12 34 56 78", overseas ones too (Réunion's +262 692 … is dialled
 * 06 92 … from France); any other as stored.
 */
export function displayPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const french = /^\+(?:33|262|590|594|596|508)([1-9]\d{8})$/.exec(phone);
  if (!french) return phone;
  return `0${french[1]!}`.replace(/(\d{2})(?=\d)/g, "$1 ");
}
