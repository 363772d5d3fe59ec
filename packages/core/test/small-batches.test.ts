import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { decideSmallBatches, SMALL_BATCH_SIZES, signTestP } from "../src/attach/small-batches.js";

/** P(X ≥ k), X ~ Binomial(n, 1/2), by enumerating every outcome of n fair coins. */
function bruteSignP(k: number, n: number): number {
  let hits = 0;
  for (let m = 0; m < 2 ** n; m++) {
    let ones = 0;
    for (let b = m; b; b >>= 1) ones += b & 1;
    if (ones >= k) hits++;
  }
  return hits / 2 ** n;
}

const rounds = (n: number) =>
  fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: n, maxLength: n });
const measured = fc
  .tuple(...SMALL_BATCH_SIZES.map(() => rounds(9)))
  .map((rs) => rs.map((ratios, i) => ({ batch: SMALL_BATCH_SIZES[i]!, ratios })));

describe("the small-batch rule", () => {
  test.prop([fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 15 })])(
    "the sign test's p-value is the binomial tail, counted outcome by outcome",
    (n, k) => {
      expect(signTestP(k, n)).toBeCloseTo(bruteSignP(k, n), 12);
    },
  );

  it("9 paired rounds: 8 or 9 slower is significant at 0.05, 7 is not", () => {
    expect(signTestP(9, 9)).toBeCloseTo(1 / 512, 12);
    expect(signTestP(8, 9)).toBeCloseTo(10 / 512, 12);
    expect(signTestP(7, 9)).toBeGreaterThan(0.05);
  });

  test.prop([measured, fc.double({ min: 1.01, max: 10, noNaN: true })])(
    "a rule only below a significantly slower size, never when the largest size is slower too",
    (m, expected) => {
      const d = decideSmallBatches(m, expected, 0.05);
      const slow = d.rule.timings.filter((t) => t.p_slower! <= 0.05).map((t) => t.batch);
      expect(d.rule.timings.map((t) => t.batch)).toEqual([...SMALL_BATCH_SIZES]);
      for (const [i, t] of d.rule.timings.entries()) {
        expect(t.slower_rounds).toBe(m[i]!.ratios.filter((r) => r < 1).length);
        expect(t.rounds).toBe(9);
      }
      if (slow.length === 0 || slow.includes(32)) {
        expect(d.mainnetBelowRows).toBe(0);
        expect(d.rule.decision).toMatch(/^no rule/);
      } else {
        // every significantly slower size is covered, and the first size above the last one is not
        for (const b of slow) expect(b).toBeLessThan(d.mainnetBelowRows);
        expect(SMALL_BATCH_SIZES).toContain(d.mainnetBelowRows);
        expect(SMALL_BATCH_SIZES[SMALL_BATCH_SIZES.indexOf(d.mainnetBelowRows) - 1]).toBe(Math.max(...slow));
      }
    },
  );

  test.prop([measured, fc.integer({ min: 0, max: 5 })])(
    "a busy machine that makes every round slower at every size stores no rule",
    (m, shift) => {
      const slowed = m.map(({ batch, ratios }) => ({
        batch,
        ratios: ratios.map((r) => Math.min(r, 0.99) / (1 + shift)),
      }));
      const d = decideSmallBatches(slowed, 2, 0.05);
      expect(d.mainnetBelowRows).toBe(0);
      expect(d.rule.decision).toContain("too busy to tell");
    },
  );

  it("a cascade slower at 1 and 2 rows, faster from 4 on: batches below 4 run the MainNet", () => {
    const m = SMALL_BATCH_SIZES.map((batch) => ({
      batch,
      ratios: Array.from({ length: 9 }, (_, i) => (batch < 4 ? 0.7 + i * 0.01 : 1.5 + i * 0.01)),
    }));
    const d = decideSmallBatches(m, 2);
    expect(d.mainnetBelowRows).toBe(4);
    expect(d.rule.decision).toMatch(
      /below 4 rows run the MainNet alone: the cascade was significantly slower at 1, 2 rows/,
    );
  });

  it("noise (half the rounds slower) stores no rule", () => {
    const m = SMALL_BATCH_SIZES.map((batch) => ({
      batch,
      ratios: Array.from({ length: 9 }, (_, i) => (i % 2 ? 0.9 : 1.1)),
    }));
    expect(decideSmallBatches(m, 2).mainnetBelowRows).toBe(0);
  });
});
