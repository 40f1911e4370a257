import { describe, expect, it } from "vitest";
import { ReadCache } from "./read-cache.ts";

function cacheAt(options: { maxBytes?: number; maxAgeMs?: number } = {}) {
  const clock = { ms: 0 };
  const cache = new ReadCache({
    maxBytes: options.maxBytes ?? 10_000,
    maxAgeMs: options.maxAgeMs ?? 5_000,
    now: () => clock.ms,
  });
  return { cache, clock };
}

describe("ReadCache", () => {
  it("keeps nothing until the database is watched, and nothing once the watch is lost", () => {
    const { cache } = cacheAt();
    cache.set("a", 1, cache.generation);
    expect(cache.get("a")).toBeUndefined();
    cache.watching(true);
    cache.set("a", 1, cache.generation);
    expect(cache.get("a")).toBe(1);
    cache.watching(false);
    expect(cache.get("a")).toBeUndefined();
    cache.set("a", 2, cache.generation);
    expect(cache.get("a")).toBeUndefined();
  });

  it("forgets everything on a change, and does not keep a read that began before it", () => {
    const { cache } = cacheAt();
    cache.watching(true);
    cache.set("page", "old", cache.generation);
    const before = cache.generation;
    cache.changed();
    expect(cache.get("page")).toBeUndefined();
    cache.set("page", "read before the change", before);
    expect(cache.get("page")).toBeUndefined();
    cache.set("page", "read after", cache.generation);
    expect(cache.get("page")).toBe("read after");
  });

  it("lets no entry outlive its age limit, and spreads the lifetimes over its second half", () => {
    const clock = { ms: 0 };
    const draws = [0, 0.5, 0.999];
    const cache = new ReadCache({
      maxBytes: 10_000,
      maxAgeMs: 4_000,
      now: () => clock.ms,
      random: () => draws.shift()!,
    });
    cache.watching(true);
    for (const key of ["a", "b", "c"]) cache.set(key, key, cache.generation);
    const alive = () => ["a", "b", "c"].filter((key) => cache.get(key) !== undefined);
    clock.ms = 1_999;
    expect(alive()).toEqual(["a", "b", "c"]);
    clock.ms = 2_000;
    expect(alive()).toEqual(["b", "c"]);
    clock.ms = 3_000;
    expect(alive()).toEqual(["c"]);
    clock.ms = 3_997;
    expect(alive()).toEqual(["c"]);
    clock.ms = 4_000;
    expect(alive()).toEqual([]);
  });

  it("stays within its byte budget by forgetting the oldest, and refuses an entry too large", () => {
    const { cache } = cacheAt({ maxBytes: 1_000 });
    cache.watching(true);
    for (const key of ["k1", "k2", "k3", "k4"]) cache.set(key, key, cache.generation, 98);
    // Each entry weighs its size plus its key: 4 × 100 bytes fit.
    expect(["k1", "k2", "k3", "k4"].map((k) => cache.get(k))).toEqual(["k1", "k2", "k3", "k4"]);
    cache.set("k5", "k5", cache.generation, 148); // 150 bytes: more than 1/8 of 1,000
    expect(cache.get("k5")).toBeUndefined();
    for (const key of ["k5", "k6", "k7", "k8", "k9", "kA", "kB"])
      cache.set(key, key, cache.generation, 98);
    // 11 entries of 100 bytes were offered to 1,000 bytes: the first one went.
    expect(cache.get("k1")).toBeUndefined();
    expect(["k2", "kB"].map((k) => cache.get(k))).toEqual(["k2", "kB"]);
    cache.set("k2", "again", cache.generation, 98); // replacing an entry does not count it twice
    expect(cache.get("k3")).toBe("k3");
  });

  it("has callers that miss together wait for one load, but not across a change", async () => {
    const { cache } = cacheAt();
    cache.watching(true);
    let loads = 0;
    const gates: Array<(value: string) => void> = [];
    const load = () => {
      loads++;
      return new Promise<{ value: string; size: number }>((resolve) =>
        gates.push((value) => resolve({ value, size: 10 })),
      );
    };
    const first = cache.shared("page", load);
    const second = cache.shared("page", load);
    expect(loads).toBe(1);
    cache.changed(); // a write: whoever asks now must not get what the first load reads
    const third = cache.shared("page", load);
    expect(loads).toBe(2);
    gates[0]!("before the write");
    gates[1]!("after the write");
    expect(await Promise.all([first, second, third])).toEqual([
      "before the write",
      "before the write",
      "after the write",
    ]);
    expect(cache.get("page")).toBe("after the write"); // only the load begun after the change is kept
    expect(await cache.shared("page", load)).toBe("after the write");
    expect(loads).toBe(2);
  });

  it("keeps nothing when the load finds nothing or fails, and loads again next time", async () => {
    const { cache } = cacheAt();
    cache.watching(true);
    expect(await cache.shared("nobody", async () => undefined)).toBeUndefined();
    await expect(
      cache.shared("broken", () => Promise.reject(new Error("database down"))),
    ).rejects.toThrow("database down");
    expect(await cache.shared("broken", async () => ({ value: "back", size: 4 }))).toBe("back");
    expect(await cache.shared("nobody", async () => ({ value: "found", size: 5 }))).toBe("found");
  });

  it("keeps the last large value asked for while nothing changes, outside the byte budget", async () => {
    const { cache, clock } = cacheAt({ maxBytes: 100, maxAgeMs: 1_000 });
    let loads = 0;
    const model = (name: string) => async () => ({ name, load: ++loads });
    // Not watched: computed each time.
    expect(await cache.latest("m", model("m"))).toEqual({ name: "m", load: 1 });
    expect(await cache.latest("m", model("m"))).toEqual({ name: "m", load: 2 });
    cache.watching(true);
    const first = await cache.latest("m", model("m"));
    expect(await cache.latest("m", model("m"))).toBe(first);
    // Callers asking together share one load.
    const [a, b] = await Promise.all([
      cache.latest("n", model("n")),
      cache.latest("n", model("n")),
    ]);
    expect(a).toBe(b);
    // Only the last key is kept.
    expect(await cache.latest("m", model("m"))).not.toBe(first);
    // A change, or the age limit, forgets it.
    const kept = await cache.latest("m", model("m"));
    cache.changed();
    const after = await cache.latest("m", model("m"));
    expect(after).not.toBe(kept);
    clock.ms = 999;
    expect(await cache.latest("m", model("m"))).toBe(after);
    clock.ms = 1_000;
    expect(await cache.latest("m", model("m"))).not.toBe(after);
    // The entries' budget is not taken: a small answer still fits beside it.
    cache.set("a", 1, cache.generation, 2);
    expect(cache.get("a")).toBe(1);
  });

  it("keeps no large value whose load failed, nor one begun before a change", async () => {
    const { cache } = cacheAt();
    cache.watching(true);
    await expect(
      cache.latest("m", () => Promise.reject(new Error("database down"))),
    ).rejects.toThrow("database down");
    expect(await cache.latest("m", async () => "back")).toBe("back");
    let release!: (value: string) => void;
    const slow = cache.latest("s", () => new Promise<string>((resolve) => (release = resolve)));
    cache.changed();
    release("read before the change");
    expect(await slow).toBe("read before the change");
    expect(await cache.latest("s", async () => "read after")).toBe("read after");
  });
});
