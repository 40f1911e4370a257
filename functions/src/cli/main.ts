import { isAppError } from "@crm-reco/core";

const usage = `crm-reco: wine-estate customer data and reviewed recommendations

Usage:
  crm-reco migrate [--data-dir DIR]            apply database migrations
  crm-reco serve [--role all|web|worker] [--data-dir DIR] [--port N] [--host H] [--migrate] [--demo]
                                               serve the API and the web app, and run the jobs and
                                               the scheduler (--role web: HTTP only; --role worker:
                                               jobs and scheduler only; --demo: load the demo
                                               estate on first start)
  crm-reco demo load|reset                     load the demo estate (reset: replace the data first; --yes over data of its own)
  crm-reco import <file> --entity customers|products|order_lines --source NAME
         [--mapping mapping.json] [--encoding utf-8|windows-1252|utf-16le|utf-16be]
         [--delimiter ";"|","|tab|"|"] [--date-format dmy|mdy|ymd|excel] [--sheet NAME]
         [--tenant SLUG] [--dry-run] [--json]
                                               import a CSV or .xlsx export as a sync run
  crm-reco mapping suggest <file> --entity E [--source NAME] [--json]
                                               show the mapping an import would apply, with confidences
  crm-reco source add odoo --name NAME --url URL --db DATABASE --user LOGIN (--key KEY | --key-file FILE)
         [--protocol auto|json2|jsonrpc] [--schedule CRON] [--time-zone Europe/Paris]
                                               register an Odoo (the key is stored encrypted; a
                                               file keeps it out of the shell's history)
  crm-reco source key --source NAME (--key KEY | --key-file FILE) [--user LOGIN]
                                               a new key for an Odoo source (expired, or a new user)
  crm-reco odoo test --source NAME | --url URL --db DATABASE --user LOGIN (--key KEY | --key-file FILE) [--lang fr|en]
                                               check address, version, credentials and rights
  crm-reco sync <source> [--full] [--json]     sync an Odoo source (incremental unless --full)
  crm-reco odoo push --source NAME [--due-days 7]
                                               write approved recommendations as Odoo activities
  crm-reco user create --email E --role admin|editor|viewer [--password P]
                                               add a user (a password is generated and shown once if not given)
  crm-reco user password --email E [--password P]
                                               a new password for someone who forgot theirs (their sessions end)
  crm-reco customers resolve [--json]          merge records of one person across sources (also after imports)
  crm-reco evaluate --split-date YYYY-MM-DD [--k 10] [--json]
                                               measure every algorithm on the estate's own history
  crm-reco recommend [--algorithm hybrid|popularity|repeat|itemknn|rp3beta|ease|content|rebuy]
         [--k 3] [--as-of YYYY-MM-DD] [--rules on|off] [--tier champions,loyal,...]
         [--kind private|trade] [--json]      generate the recommendations staff review
  crm-reco recommend --product SKU [--k 20] [--json]
                                               which customers for this wine (nothing stored)
  crm-reco export recommendations --out file.csv [--status pending|approved|rejected|exported|all]
         [--delimiter ";"|","]                 the review list as CSV (UTF-8 with BOM; ";" and
                                               decimal commas for French Excel by default)

Configuration (flags win over the environment):
  CRM_RECO_DATA_DIR  embedded data folder (PGlite database, uploaded files)  default ./.data
  DATABASE_URL       PostgreSQL URL; when set, PostgreSQL is used instead of PGlite
  DB_DRIVER          pglite | pg | neon                                       default from DATABASE_URL
  PORT, HOST         where to listen                                          default 3000, 127.0.0.1
  CRM_RECO_QUEUE     pgboss (jobs kept in the database) | inline (in-process) default pgboss
  --debug            print stack traces of unexpected errors
`;

// Each command's module is loaded when that command runs: a CLI call pays for its own code only.
const commands: Record<string, (args: string[]) => Promise<number>> = {
  migrate: async (args) => (await import("./migrate.ts")).runMigrate(args),
  import: async (args) => (await import("./import.ts")).runImport(args),
  mapping: async (args) => (await import("./mapping.ts")).runMapping(args),
  customers: async (args) => (await import("./customers.ts")).runCustomers(args),
  evaluate: async (args) => (await import("./evaluate.ts")).runEvaluate(args),
  recommend: async (args) => (await import("./recommend.ts")).runRecommend(args),
  export: async (args) => (await import("./recommend.ts")).runExport(args),
  serve: async (args) => (await import("./serve.ts")).runServe(args),
  user: async (args) => (await import("./user.ts")).runUser(args),
  demo: async (args) => (await import("./demo.ts")).runDemo(args),
  source: async (args) => (await import("./odoo.ts")).runSource(args),
  odoo: async (args) => (await import("./odoo.ts")).runOdoo(args),
  sync: async (args) => (await import("./odoo.ts")).runSync(args),
};

/** Runs one command; returns the process exit code. Bad input never prints a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`Error (${error.code}): ${error.message}\n`);
      return 1;
    }
    if (argv.includes("--debug")) throw error;
    process.stderr.write(`${describeUnexpected(error)}(run again with --debug for details)\n`);
    return 1;
  }
}

/**
 * An error we did not expect, with what caused it: a failed query says which query, and its
 * cause why ("password authentication failed for user …", "relation … does not exist"), which
 * is what the person reading a journal needs.
 */
export function describeUnexpected(error: unknown): string {
  const firstLine = (e: unknown) => {
    const text = e instanceof Error ? e.message : String(e);
    const line = text.split("\n")[0]!.trim();
    return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  };
  let text = `Unexpected error: ${firstLine(error)}\n`;
  let unmigrated = false;
  const seen = new Set<unknown>([error]);
  for (let e = causeOf(error); e !== undefined && !seen.has(e); e = causeOf(e)) {
    seen.add(e);
    text += `  because: ${firstLine(e)}\n`;
    const code = (e as { code?: unknown }).code;
    if (code === "42P01" || code === "3F000") unmigrated = true;
  }
  if (unmigrated)
    text += "The database lacks CRM Reco's tables or some of them: run `crm-reco migrate`.\n";
  return text;
}

const causeOf = (error: unknown): unknown =>
  error instanceof Error && error.cause !== undefined ? error.cause : undefined;
