import { describe, expect, it } from "vitest";
import { createSignInLimiter } from "./sign-in-limiter.ts";

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
