export * from "./tenancy.sql.ts";
export * from "./sources.sql.ts";
export * from "./customers.sql.ts";
export * from "./catalog.sql.ts";
export * from "./recommendations.sql.ts";
