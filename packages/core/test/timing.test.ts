import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chunk, median, pairedRatio, roundOrder, sideBySide, summarise } from "../src/util/timing.js";

describe("side-by-side timing", () => {
  test.prop([fc.integer({ min: 1, max: 8 }), fc.nat(100)])("each round runs every variant once", (v, r) => {
    expect([...roundOrder(v, r)].sort((a, b) => a - b)).toEqual(Array.from({ length: v }, (_, i) => i));
  });

  it("alternates which variant runs first", () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(2, r))).toEqual([
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const firsts = new Set(Array.from({ length: 6 }, (_, r) => roundOrder(3, r)[0]));
    expect(firsts).toEqual(new Set([0, 1, 2]));
  });

  test.prop([fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 })])(
    "median lies between min and max and splits the list",
    (xs) => {
      const m = median(xs);
      const s = summarise(xs);
      expect(m).toBeGreaterThanOrEqual(s.min);
      expect(m).toBeLessThanOrEqual(s.max);
      expect(xs.filter((x) => x < m).length).toBeLessThanOrEqual(xs.length / 2);
      expect(xs.filter((x) => x > m).length).toBeLessThanOrEqual(xs.length / 2);
    },
  );

  test.prop([fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 9 })])(
    "chunk keeps every item in order",
    (xs, size) => {
      const parts = chunk(xs, size);
      expect(parts.flat()).toEqual(xs);
      expect(parts.every((p, i) => p.length === size || i === parts.length - 1)).toBe(true);
    },
  );

  it("runs every variant on every batch, warm-up plus rounds, and pairs ratios by round", async () => {
    const seen = [0, 0, 0];
    const batches = chunk([1, 2, 3, 4, 5], 2);
    const variants = [0, 1, 2].map((v) => async (b: number[]) => {
      seen[v]! += b.length;
    });
    const t = await sideBySide(batches, variants, { rounds: 4 });
    expect(seen).toEqual([25, 25, 25]);
    expect(t.map((x) => x.rounds.length)).toEqual([4, 4, 4]);
    const r = pairedRatio(t[0]!, t[1]!);
    expect(r.rounds[2]).toBeCloseTo(t[1]!.rounds[2]! / t[0]!.rounds[2]!);
  });

  it("counts items with sizeOf for batches that are not arrays", async () => {
    let calls = 0;
    const t = await sideBySide(
      [{ n: 3 }, { n: 5 }],
      [
        async () => {
          calls++;
          // ≥ 5 ms on the clock sideBySide reads (a timer may fire early against performance.now():
          // CI measured 4.7 ms for setTimeout(…, 5))
          const t0 = performance.now();
          while (performance.now() - t0 < 5) await new Promise((r) => setImmediate(r));
        },
      ],
      { rounds: 2, sizeOf: (b) => b.n },
    );
    expect(calls).toBe(6);
    // 8 items in ≥ 10 ms per round
    expect(t[0]!.max).toBeLessThanOrEqual(800);
  });
});
