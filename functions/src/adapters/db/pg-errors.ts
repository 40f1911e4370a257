/** The SQLSTATE of a driver error; drizzle wraps driver errors and keeps the original as `cause`. */
export function sqlStateOf(error: unknown): string | undefined {
  for (
    let current = error;
    current && typeof current === "object";
    current = (current as { cause?: unknown }).cause
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => sqlStateOf(error) === "23505";
export const isForeignKeyViolation = (error: unknown) => sqlStateOf(error) === "23503";
