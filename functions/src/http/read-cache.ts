import type { ChangeListener } from "../adapters/db/database.ts";

export interface ReadCacheOptions {
  maxBytes: number;
  /** The longest an entry lives; each lives between half of it and all of it. */
  maxAgeMs: number;
  now: () => number;
  /** In [0, 1): spreads the entries' lifetimes. */
  random?: () => number;
}

/**
 * What the web process keeps of what it read, for as long as nothing has been written since:
 * who a session or an API key is, and the answers of the review routes staff reload all day.
 *
 * The database says when anything changes (a trigger on every table notifies `crm_reco_changes`
 * on commit, from any process: the worker, a command, psql), and this process's own writes clear
 * it before they answer. While the database is not being watched (not yet connected, or the
 * listening connection lost), nothing is kept. A read that started before a change is not kept
 * either (`generation`), and no entry outlives `maxAgeMs`, in case a notice is ever missed.
 */
export class ReadCache implements ChangeListener {
  #entries = new Map<string, { value: unknown; bytes: number; expiresAt: number }>();
  #loading = new Map<string, { generation: number; value: Promise<unknown> }>();
  #bytes = 0;
  #latest: { key: string; generation: number; value: Promise<unknown>; expiresAt: number } | null =
    null;
  #generation = 0;
  #watching = false;

  readonly #options: Required<ReadCacheOptions>;

  constructor(options: ReadCacheOptions) {
    this.#options = { random: Math.random, ...options };
  }

  /** Read before reading the database; `set` keeps the result only if it is still the same. */
  get generation(): number {
    return this.#generation;
  }

  changed(): void {
    this.#generation++;
    this.#entries.clear();
    this.#bytes = 0;
    this.#latest = null;
  }

  watching(live: boolean): void {
    this.#watching = live;
    this.changed();
  }

  get<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#options.now() >= entry.expiresAt) {
      this.#drop(key);
      return undefined;
    }
    return entry.value as T;
  }

  /**
   * What `key` holds, or what `load` finds (kept if it finds something). Requests that miss the
   * same key together wait for one load rather than each asking the database: when an entry
   * expires under load, a hundred callers would otherwise all ask at once. A request that comes
   * after a change does not wait for a load begun before it.
   */
  async shared<T>(
    key: string,
    load: () => Promise<{ value: T; size: number } | undefined>,
  ): Promise<T | undefined> {
    const kept = this.get<T>(key);
    if (kept !== undefined) return kept;
    const loading = this.#loading.get(key);
    if (loading && loading.generation === this.#generation) return loading.value as Promise<T>;
    const generation = this.#generation;
    const value = load().then((found) => {
      if (found) this.set(key, found.value, generation, found.size);
      return found?.value;
    });
    this.#loading.set(key, { generation, value });
    const forget = () => {
      if (this.#loading.get(key)?.value === value) this.#loading.delete(key);
    };
    value.then(forget, forget);
    return value;
  }

  /**
   * One large value, beside the entries and outside their byte budget: what `load` found for the
   * last key asked, under the same rules (forgotten on a change or at its age limit, kept only
   * while the database is watched). For what costs seconds to compute and tens of megabytes to
   * hold, a model trained on the estate's history: holding the last one costs what the request
   * that computed it held anyway. Callers asking together wait for one load; a failed load is
   * not kept.
   */
  latest<T>(key: string, load: () => Promise<T>): Promise<T> {
    const kept = this.#latest;
    if (
      kept &&
      kept.key === key &&
      kept.generation === this.#generation &&
      this.#options.now() < kept.expiresAt
    )
      return kept.value as Promise<T>;
    const value = load();
    if (!this.#watching) return value;
    const entry = {
      key,
      generation: this.#generation,
      value,
      expiresAt: this.#options.now() + this.#options.maxAgeMs,
    };
    this.#latest = entry;
    value.catch(() => {
      if (this.#latest === entry) this.#latest = null;
    });
    return value;
  }

  /** Keeps `value` (about `size` bytes) if nothing changed since `generation` was read. */
  set(key: string, value: unknown, generation: number, size = 256): void {
    if (!this.#watching || generation !== this.#generation) return;
    const bytes = size + key.length;
    if (bytes > this.#options.maxBytes / 8) return; // one answer may not push out all the others
    this.#drop(key);
    // Oldest first: Map keeps insertion order.
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes + bytes <= this.#options.maxBytes) break;
      this.#drop(oldest);
    }
    // Between half and all of maxAgeMs: entries read together (a list's rows viewed in turn)
    // would otherwise all expire together and be read again in one burst.
    const lifetime = this.#options.maxAgeMs * (0.5 + 0.5 * this.#options.random());
    this.#entries.set(key, { value, bytes, expiresAt: this.#options.now() + lifetime });
    this.#bytes += bytes;
  }

  #drop(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
