import { z } from "zod";
import { AppError } from "@crm-reco/core";
import { open, seal } from "../auth/secret-box.ts";
import type { Source } from "../repos/sources.ts";
import type { OdooConnection } from "./odoo-transport.ts";

/** What an Odoo source remembers besides its secret (kept in `sources.config`, shown to admins). */
export const OdooSourceConfig = z.object({
  url: z.url({ protocol: /^https?$/ }),
  database: z.string().trim().min(1),
  login: z.string().trim().min(1),
  protocol: z.enum(["auto", "json2", "jsonrpc"]).default("auto"),
  /** The estate's time zone: Odoo's datetimes are UTC, an order belongs to the estate's day. */
  timeZone: z.string().default("Europe/Paris"),
  pageSize: z.number().int().min(10).max(5000).default(500),
  /**
   * Which partners are customers (an Odoo domain), by default all of them. The staff's (internal
   * users), the website's own accounts and the estate's companies never are, whatever it says; a
   * customer who made an account on the web shop (a portal user) is.
   */
  partnerDomain: z.array(z.unknown()).default([]),
  /** How often a sync also compares every id to find records deleted in Odoo. */
  reconcileEveryDays: z.number().int().min(1).max(365).default(7),
  /** The end of the secret, so a person can tell which key is stored (never the key). */
  secretHint: z.string().optional(),
});
export type OdooSourceConfig = z.infer<typeof OdooSourceConfig>;

export function parseOdooConfig(config: unknown): OdooSourceConfig {
  const parsed = OdooSourceConfig.safeParse(config ?? {});
  if (!parsed.success)
    throw new AppError(
      "source.invalid",
      `The Odoo source's settings are incomplete: ${parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ")}.`,
    );
  return parsed.data;
}

/** "…9f3a": enough to recognise a key, too little to use it. */
export const secretHintOf = (secret: string): string =>
  secret.length <= 8 ? "…" : `…${secret.slice(-4)}`;

export const sealSecret = (key: Uint8Array, secret: string): string => seal(key, secret);

/** The connection of a stored Odoo source, its secret decrypted for this use only. */
export function connectionOfSource(source: Source, secretKey: Uint8Array): OdooConnection {
  if (source.kind !== "odoo")
    throw new AppError("source.invalid", `"${source.name}" is not an Odoo source.`);
  const config = parseOdooConfig(source.config);
  if (!source.credentialsEncrypted)
    throw new AppError("source.invalid", `No API key or password is stored for "${source.name}".`);
  let secret: string;
  try {
    secret = open(secretKey, source.credentialsEncrypted);
  } catch {
    throw new AppError(
      "source.invalid",
      `The stored key of "${source.name}" cannot be decrypted with this server's secret key (CRM_RECO_SECRET_KEY changed?): give it the key again (crm-reco source key, or the source's page).`,
    );
  }
  return {
    url: config.url,
    database: config.database,
    login: config.login,
    secret,
    protocol: config.protocol,
  };
}
