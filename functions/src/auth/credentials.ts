import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// scrypt with N=2^15, r=8, p=1 (OWASP's minimum is N=2^17 with p=1 or N=2^15 with p≥… for
// interactive logins on small servers we keep 32 MiB of memory per hash); the parameters travel
// with each hash so they can be raised later without invalidating existing passwords.
const N = 32_768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: 128 * n * r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(
    password,
    Buffer.from(salt, "base64url"),
    Number(n),
    Number(r),
    Number(p),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random secret for cookies, CSRF tokens and API keys (256 bits, base64url). */
export const randomToken = () => randomBytes(32).toString("base64url");

/** Secrets are stored only as their SHA-256: a leaked table gives no usable session or key. */
export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export const roles = ["viewer", "editor", "admin"] as const;
export type Role = (typeof roles)[number];

/** admin ⊇ editor ⊇ viewer. */
export const hasRole = (actual: Role, needed: Role) =>
  roles.indexOf(actual) >= roles.indexOf(needed);
