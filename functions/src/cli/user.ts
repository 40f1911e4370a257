import { randomBytes } from "node:crypto";
import { AppError } from "@crm-reco/core";
import { type Role, roles } from "../auth/credentials.ts";
import { countUsers, createUser, setPassword } from "../auth/users.ts";
import type { Db } from "../adapters/db/database.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/** A password people can copy: 20 characters of base64url (120 bits). */
export const generatePassword = () => randomBytes(15).toString("base64url");

const USAGE =
  "Usage: crm-reco user create --email E --role admin|editor|viewer [--password P] [--tenant SLUG]\n" +
  "       crm-reco user password --email E [--password P] [--tenant SLUG]   (a forgotten password: a new one, printed once)";

/**
 * `crm-reco user create --email E --role admin|editor|viewer [--password P] [--tenant SLUG]`;
 * `crm-reco user password --email E [--password P]` for someone who forgot theirs (the IT
 * person's way in when the estate's only admin did).
 */
export async function runUser(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create" && sub !== "password") throw new AppError("cli.invalid", USAGE);
  const { values } = parseCommand(rest, {
    email: { type: "string" },
    role: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    tenant: { type: "string" },
  });
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email))
    throw new AppError("cli.invalid", "--email must be an email address.");
  const password = values.password ?? generatePassword();
  const shown = values.password
    ? "\n"
    : `\nPassword: ${password}\n(shown once: keep it somewhere safe)\n`;
  if (sub === "password") {
    if (values.role !== undefined)
      throw new AppError(
        "cli.invalid",
        "--role is for `user create`; `user password` changes the password only.",
      );
    return withEstate(values, async (services, tenant) => {
      const user = await setPassword(services.db.db, tenant.id, values.email!, password);
      process.stdout.write(
        `New password set for ${user.email} (${user.role}, estate "${tenant.slug}"); their sessions are closed.${shown}`,
      );
      return 0;
    });
  }
  const role = (values.role ?? "") as Role;
  if (!roles.includes(role))
    throw new AppError("cli.invalid", `--role must be one of ${roles.join(", ")}.`);
  return withEstate(values, async (services, tenant) => {
    const user = await createUser(services.db.db, tenant.id, {
      email: values.email!,
      password,
      role,
      name: values.name,
    });
    process.stdout.write(
      `User ${user.email} (${user.role}) created for estate "${tenant.slug}".${shown}`,
    );
    return 0;
  });
}

/**
 * First run of the embedded edition: an estate with no user gets an admin whose one-time password
 * is printed where the person who started the server sees it.
 */
export async function ensureFirstAdmin(
  db: Db,
  tenantId: string,
): Promise<{ email: string; password: string } | null> {
  if ((await countUsers(db, tenantId)) > 0) return null;
  const email = "admin@crm-reco.local";
  const password = generatePassword();
  await createUser(db, tenantId, { email, password, role: "admin", name: "Administrateur" });
  return { email, password };
}
