import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calibrationIntervals, calibrationReport, InvalidArgumentError } from "../src/index.js";

const C = 3;
const dataArb = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.record({
    probs: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: n * C, maxLength: n * C }).map((a) => {
      const p = new Float32Array(a.length);
      for (let r = 0; r < n; r++) {
        const s = a[r * C]! + a[r * C + 1]! + a[r * C + 2]!;
        for (let c = 0; c < C; c++) p[r * C + c] = a[r * C + c]! / s;
      }
      return p;
    }),
    labels: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
  }),
);

describe("bootstrap intervals of calibration figures", () => {
  test.prop([dataArb, fc.nat(1000)], { numRuns: 30 })(
    "each value is the full-data figure; lo ≤ hi; intervals stay within the figure's range",
    ({ probs, labels }, seed) => {
      const ci = calibrationIntervals(probs, C, labels, { resamples: 20, seed });
      const full = calibrationReport(probs, C, labels);
      for (const k of ["accuracy", "ece", "adaptiveEce", "mce", "nll", "brier"] as const) {
        expect(ci[k].value).toBe(full[k]);
        expect(ci[k].lo).toBeLessThanOrEqual(ci[k].hi);
      }
      for (const k of ["accuracy", "ece", "adaptiveEce", "mce"] as const) {
        expect(ci[k].lo).toBeGreaterThanOrEqual(0);
        expect(ci[k].hi).toBeLessThanOrEqual(1);
      }
    },
  );

  test.prop([dataArb])("the same seed gives the same intervals", ({ probs, labels }) => {
    const a = calibrationIntervals(probs, C, labels, { resamples: 10, seed: 7 });
    const b = calibrationIntervals(probs, C, labels, { resamples: 10, seed: 7 });
    expect(a).toEqual(b);
  });

  it("a sure and always right model has zero-width intervals at zero error", () => {
    const probs = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const ci = calibrationIntervals(probs, C, [0, 1, 2, 0], { resamples: 50 });
    expect(ci.ece).toEqual({ value: 0, lo: 0, hi: 0 });
    expect(ci.accuracy).toEqual({ value: 1, lo: 1, hi: 1 });
  });

  it("the interval narrows as rows grow", () => {
    const make = (n: number) => {
      const probs = new Float32Array(n * C);
      const labels = Array.from({ length: n }, (_, r) => {
        probs.set([0.7, 0.2, 0.1], r * C);
        return r % 10 < 7 ? 0 : 1;
      });
      return calibrationIntervals(probs, C, labels, { resamples: 100 });
    };
    const small = make(50).accuracy;
    const large = make(2000).accuracy;
    expect(large.hi - large.lo).toBeLessThan(small.hi - small.lo);
  });

  it("refuses fewer than two resamples and levels outside (0, 1)", () => {
    const p = Float32Array.from([1, 0, 0]);
    expect(() => calibrationIntervals(p, C, [0], { resamples: 1 })).toThrow(InvalidArgumentError);
    expect(() => calibrationIntervals(p, C, [0], { level: 1 })).toThrow(InvalidArgumentError);
  });
});
