import { describe, expect, it } from "vitest";
import { onFirstUse } from "./on-first-use.ts";

describe("onFirstUse", () => {
  it("opens once, on the first call, for every caller, even at the same moment", async () => {
    let opened = 0;
    const client = onFirstUse(async () => ({ n: ++opened }));
    expect(opened).toBe(0);
    expect(await client.ifOpened()).toBeUndefined();
    const [a, b] = await Promise.all([client(), client()]);
    expect(a).toBe(b);
    expect(await client()).toBe(a);
    expect(await client.ifOpened()).toBe(a);
    expect(opened).toBe(1);
  });

  it("tries again after an opening that failed, and has nothing opened meanwhile", async () => {
    let attempts = 0;
    const client = onFirstUse(async () => {
      if (++attempts === 1) throw new Error("network down");
      return { attempt: attempts };
    });
    await expect(client()).rejects.toThrow("network down");
    expect(await client.ifOpened()).toBeUndefined();
    expect(await client()).toEqual({ attempt: 2 });
    expect(await client()).toEqual({ attempt: 2 });
    expect(attempts).toBe(2);
  });
});
