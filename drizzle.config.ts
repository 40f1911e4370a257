import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./functions/src/db/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
