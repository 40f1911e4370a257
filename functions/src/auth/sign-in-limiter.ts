/**
 * Failed sign-ins allowed per (client address, email) in a sliding window, then 429 until the
 * window passes. Kept in memory: on the VPS that is the one server process; on Lambda each warm
 * instance counts on its own (API Gateway's throttling is the outer limit there).
 */
const MAX_KEYS = 10_000;

export function createSignInLimiter(options: { maxFailures?: number; windowMs?: number } = {}) {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) =>
    (failures.get(key) ?? []).filter((t) => now - t < windowMs);
  // Memory stays bounded, but never by forgetting a key that is being refused: a flood of
  // failures on random e-mails must not lift the limit on the account under attack. The
  // expired go first, then the oldest of those under the limit.
  const forget = (now: number) => {
    for (const key of [...failures.keys()]) if (recent(key, now).length === 0) failures.delete(key);
    for (const key of [...failures.keys()]) {
      if (failures.size <= MAX_KEYS / 2) break;
      if (recent(key, now).length < maxFailures) failures.delete(key);
    }
  };
  return {
    /** Seconds to wait before trying again, or 0 when a try is allowed. */
    retryAfter(key: string, now: number): number {
      const list = recent(key, now);
      if (list.length < maxFailures) return 0;
      return Math.ceil((list[0]! + windowMs - now) / 1000);
    },
    failed(key: string, now: number) {
      const list = recent(key, now);
      list.push(now);
      failures.set(key, list);
      if (failures.size > MAX_KEYS) forget(now);
    },
    succeeded(key: string) {
      failures.delete(key);
    },
  };
}
export type SignInLimiter = ReturnType<typeof createSignInLimiter>;

/**
 * The addresses each account last signed in from (five per account, 10,000 accounts): while
 * strangers have locked an account by failing on it, its user can still sign in from where they
 * usually do (their office's). A request that came without Nginx ("direct") is never known.
 */
export function createKnownAddresses(options: { perAccount?: number; accounts?: number } = {}) {
  const perAccount = options.perAccount ?? 5;
  const maxAccounts = options.accounts ?? 10_000;
  const known = new Map<string, string[]>();
  return {
    has(account: string, client: string): boolean {
      return client !== "direct" && (known.get(account) ?? []).includes(client);
    },
    remember(account: string, client: string) {
      const list = [client, ...(known.get(account) ?? []).filter((a) => a !== client)];
      known.delete(account); // the account signed in last is the last to be forgotten
      known.set(account, list.slice(0, perAccount));
      if (known.size > maxAccounts) known.delete(known.keys().next().value!);
    },
  };
}
