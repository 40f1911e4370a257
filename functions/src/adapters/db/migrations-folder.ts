import { fileURLToPath } from "node:url";

/** The committed drizzle-kit migrations at the repository root, wherever the code runs from. */
export const migrationsFolder = fileURLToPath(new URL("../../../../migrations", import.meta.url));
