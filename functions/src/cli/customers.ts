import { AppError } from "@crm-reco/core";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/** `crm-reco customers resolve`: one customer per person across sources (also run after each customer import). */
export async function runCustomers(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "resolve")
    throw new AppError("cli.invalid", "Usage: crm-reco customers resolve [--tenant SLUG] [--json]");
  const { values } = parseCommand(rest, { tenant: { type: "string" }, json: { type: "boolean" } });
  return withEstate(values, async (services, tenant) => {
    const summary = await resolveIdentities(services.db.db, tenant.id);
    process.stdout.write(
      values.json ? `${JSON.stringify(summary)}\n` : `${describeResolution(summary)}\n`,
    );
    return 0;
  });
}

export const describeResolution = (s: { compared: number; merged: number; queued: number }) =>
  `Customers: ${s.compared} compared, ${s.merged} merged into another record, ${s.queued} pair(s) waiting for review.`;
