import { Pool, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import ws from "ws";
import { type Db, type DbHandle, schema } from "./database.ts";
import { migrationsFolder } from "./migrations-folder.ts";

export interface NeonOptions {
  connectionString: string;
  /**
   * A plain-WebSocket proxy in front of an ordinary PostgreSQL (`host:port`), for local runs and
   * tests; absent on Neon itself, which terminates WebSockets with TLS.
   */
  wsProxy?: string;
  maxConnections?: number;
}

/** Neon's serverless driver over WebSockets: the AWS Lambda target (interactive transactions work). */
export async function openNeon(options: NeonOptions): Promise<DbHandle> {
  neonConfig.webSocketConstructor = ws;
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 5,
  });
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "neon",
    migrate: () => migrate(drizzle({ client: pool }), { migrationsFolder }),
    close: () => pool.end(),
  };
}
