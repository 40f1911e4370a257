/**
 * Failed sign-ins allowed per (client address, email) in a sliding window, then 429 until the
 * window passes. Kept in memory: on the VPS that is the one server process; on Lambda each warm
 * instance counts on its own (API Gateway's throttling is the outer limit there).
 */
export function createSignInLimiter(options: { maxFailures?: number; windowMs?: number } = {}) {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) =>
    (failures.get(key) ?? []).filter((t) => now - t < windowMs);
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
      if (failures.size > 10_000)
        for (const k of [...failures.keys()].slice(0, 5_000)) failures.delete(k);
    },
    succeeded(key: string) {
      failures.delete(key);
    },
  };
}
export type SignInLimiter = ReturnType<typeof createSignInLimiter>;
