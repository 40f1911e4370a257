import { randomBytes } from "node:crypto";
import { AppError } from "@crm-reco/core";
import { type Role, roles } from "../auth/credentials.ts";
import { countUsers, createUser } from "../auth/users.ts";
import type { Db } from "../adapters/db/database.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/** A password people can copy: 20 characters of base64url (120 bits). */
export const generatePassword = () => randomBytes(15).toString("base64url");

/** `crm-reco user create --email E --role admin|editor|viewer [--password P] [--tenant SLUG]` */
export async function runUser(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create")
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco user create --email E --role admin|editor|viewer [--password P] [--tenant SLUG]",
    );
  const { values } = parseCommand(rest, {
    email: { type: "string" },
    role: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    tenant: { type: "string" },
  });
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email))
    throw new AppError("cli.invalid", "--email must be an email address.");
  const role = (values.role ?? "") as Role;
  if (!roles.includes(role))
    throw new AppError("cli.invalid", `--role must be one of ${roles.join(", ")}.`);
  const password = values.password ?? generatePassword();
  return withEstate(values, async (services, tenant) => {
    const user = await createUser(services.db.db, tenant.id, {
      email: values.email!,
      password,
      role,
      name: values.name,
    });
    process.stdout.write(
      `User ${user.email} (${user.role}) created for estate "${tenant.slug}".` +
        (values.password
          ? "\n"
          : `\nPassword: ${password}\n(shown once: keep it somewhere safe)\n`),
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
