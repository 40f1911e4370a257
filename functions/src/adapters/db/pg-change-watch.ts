import pg from "pg";
import { CHANGES_CHANNEL, type ChangeListener } from "./database.ts";

const RETRY_MS = 1000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to queries). If it drops, the
 * listener hears `watching(false)` at once and the connection is opened again every second until
 * it listens, then `watching(true)`: writes made meanwhile were not heard, so the listener starts
 * afresh either way.
 */
export async function watchPgChanges(
  connectionString: string,
  listener: ChangeListener,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const lost = (failed: pg.Client) => {
    if (client !== failed) return; // already handled ('error' and then 'end')
    client = undefined;
    listener.watching(false);
    failed.end().catch(() => {});
    if (!stopped) retry = setTimeout(() => void listen(), RETRY_MS);
  };

  const listen = async () => {
    const next = new pg.Client({ connectionString });
    next.on("notification", () => listener.changed());
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${CHANGES_CHANNEL}`);
    } catch {
      next.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void listen(), RETRY_MS);
      return;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    listener.watching(true);
  };

  await listen();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const last = client;
    client = undefined;
    listener.watching(false);
    await last?.end().catch(() => {});
  };
}
