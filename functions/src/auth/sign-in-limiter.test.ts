import { describe, expect, it } from "vitest";
import { createKnownAddresses, createSignInLimiter } from "./sign-in-limiter.ts";

describe("createSignInLimiter", () => {
  it("refuses a key after its failures in the window, and again once the window has passed", () => {
    const limiter = createSignInLimiter({ maxFailures: 3, windowMs: 1_000 });
    for (const at of [0, 10, 20]) {
      expect(limiter.retryAfter("k", at)).toBe(0);
      limiter.failed("k", at);
    }
    expect(limiter.retryAfter("k", 30)).toBe(1);
    expect(limiter.retryAfter("k", 1_000)).toBe(0); // the first failure left the window
    limiter.succeeded("k");
    expect(limiter.retryAfter("k", 40)).toBe(0);
  });

  it("keeps refusing a key under attack however many other keys fail meanwhile", () => {
    const limiter = createSignInLimiter({ maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) limiter.failed("account", i);
    // A flood of failures on random e-mails, enough to make the limiter shed keys.
    for (let i = 0; i < 25_000; i++) limiter.failed(`random-${i}`, 100 + i / 1000);
    expect(limiter.retryAfter("account", 200)).toBeGreaterThan(0);
  });
});

describe("createKnownAddresses", () => {
  it("knows an account's last addresses, never a request that came without the proxy", () => {
    const known = createKnownAddresses({ perAccount: 2 });
    known.remember("estate|anne@x.fr", "203.0.113.5");
    expect(known.has("estate|anne@x.fr", "203.0.113.5")).toBe(true);
    expect(known.has("estate|anne@x.fr", "198.51.100.7")).toBe(false);
    expect(known.has("estate|paul@x.fr", "203.0.113.5")).toBe(false);
    known.remember("estate|anne@x.fr", "direct");
    expect(known.has("estate|anne@x.fr", "direct")).toBe(false);
  });

  it("keeps each account's most recent addresses, and forgets the account signed in longest ago", () => {
    const known = createKnownAddresses({ perAccount: 2, accounts: 2 });
    for (const a of ["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3"]) known.remember("anne", a);
    expect(["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((a) => known.has("anne", a))).toEqual([
      true,
      false,
      true,
    ]);
    known.remember("paul", "10.0.0.9");
    known.remember("anne", "10.0.0.3"); // Anne signed in again: Paul is now the oldest
    known.remember("marie", "10.0.0.8");
    expect(known.has("paul", "10.0.0.9")).toBe(false);
    expect(known.has("anne", "10.0.0.3")).toBe(true);
    expect(known.has("marie", "10.0.0.8")).toBe(true);
  });
});
