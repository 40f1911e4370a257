import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OdooError } from "@crm-reco/core";
import { retryDelayMs, type RetryPolicy, withRetries } from "./odoo-http.ts";

const policy: RetryPolicy = { timeoutMs: 1000, retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

describe("retryDelayMs", () => {
  it.each([
    [1, 0.5, 250],
    [2, 0.5, 500],
    [3, 1, 2000],
    [10, 1, 30_000],
    [3, 0, 0],
  ])("attempt %i with jitter %f waits %i ms", (attempt, random, expected) => {
    expect(retryDelayMs(policy, attempt, undefined, () => random)).toBe(expected);
  });

  it("follows the server's Retry-After, up to the cap", () => {
    expect(retryDelayMs(policy, 1, 7)).toBe(7000);
    expect(retryDelayMs(policy, 1, 3600)).toBe(30_000);
  });

  it("never waits less than nothing nor more than the exponential cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }), // as Math.random gives
        (attempt, r) => {
          const delay = retryDelayMs(policy, attempt, undefined, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(
            Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)),
          );
        },
      ),
    );
  });
});

describe("withRetries", () => {
  const fast: RetryPolicy = { ...policy, baseDelayMs: 1, maxDelayMs: 2 };

  it("tries a transient failure again, and a refused login never", async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3) throw new OdooError("odoo.unavailable", "busy");
      return Promise.resolve("ok");
    };
    expect(await withRetries(fast, async () => flaky())).toBe("ok");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      withRetries(fast, async () => {
        calls++;
        throw new OdooError("odoo.access_denied", "no");
      }),
    ).rejects.toMatchObject({ code: "odoo.access_denied" });
    expect(calls).toBe(1);
  });

  it("gives up after the last retry with the last failure", async () => {
    let calls = 0;
    await expect(
      withRetries(fast, async () => {
        calls++;
        throw new OdooError("odoo.timeout", `try ${calls}`);
      }),
    ).rejects.toMatchObject({ code: "odoo.timeout", message: "try 5" });
    expect(calls).toBe(fast.retries + 1);
  });
});
