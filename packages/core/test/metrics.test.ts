import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brier, calibrationReport, ece, mce, nll, reliabilityBins, softmax } from "../src/index.js";
import { adaptiveEce } from "../src/internal.js";
import { labelledBatchArb, permutationArb } from "./helpers/arbitraries.js";

function permuteRows(values: Float32Array, classes: number, perm: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (const [dst, src] of perm.entries())
    out.set(values.subarray(src * classes, (src + 1) * classes), dst * classes);
  return out;
}

/**
 * Perfectly calibrated binary data: for each confidence level k/10 (k = 5..10) drawn, 10·m rows have
 * that confidence and exactly k·m of them are right. Distinct levels fall in distinct 15-bin bins.
 */
const calibratedArb = fc
  .uniqueArray(fc.integer({ min: 5, max: 10 }), { minLength: 1, maxLength: 6 })
  .chain((levels) =>
    fc.tuple(
      fc.constant(levels),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: levels.length, maxLength: levels.length }),
    ),
  )
  .map(([levels, mult]) => {
    const probs: number[] = [];
    const labels: number[] = [];
    levels.forEach((k, i) => {
      const m = mult[i]!;
      for (let r = 0; r < 10 * m; r++) {
        probs.push(k / 10, 1 - k / 10);
        labels.push(r < k * m ? 0 : 1);
      }
    });
    return { probs: Float32Array.from(probs), labels };
  });

describe("calibration metrics", () => {
  test.prop([labelledBatchArb()])(
    "ECE, adaptive ECE and MCE lie in [0, 1]; Brier in [0, 2]; NLL ≥ 0",
    (b) => {
      const p = softmax(b.logits, b.classes);
      for (const v of [
        ece(p, b.classes, b.labels),
        adaptiveEce(p, b.classes, b.labels),
        mce(p, b.classes, b.labels),
      ]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(ece(p, b.classes, b.labels)).toBeLessThanOrEqual(mce(p, b.classes, b.labels) + 1e-12);
      const br = brier(p, b.classes, b.labels);
      expect(br).toBeGreaterThanOrEqual(0);
      expect(br).toBeLessThanOrEqual(2 + 1e-6);
      expect(nll(p, b.classes, b.labels)).toBeGreaterThanOrEqual(0);
    },
  );

  test.prop([labelledBatchArb().chain((b) => permutationArb(b.rows).map((perm) => ({ ...b, perm })))])(
    "ECE, adaptive ECE, MCE, NLL and Brier are invariant to row permutation",
    (b) => {
      const p = softmax(b.logits, b.classes);
      const q = permuteRows(p, b.classes, b.perm);
      const labels = b.perm.map((i) => b.labels[i]!);
      for (const f of [ece, adaptiveEce, mce, nll, brier]) {
        expect(f(q, b.classes, labels)).toBeCloseTo(f(p, b.classes, b.labels), 10);
      }
    },
  );

  test.prop([calibratedArb])(
    "ECE = 0 (and adaptive ECE, MCE = 0) for perfectly calibrated data",
    ({ probs, labels }) => {
      expect(ece(probs, 2, labels)).toBeLessThan(1e-6);
      expect(mce(probs, 2, labels)).toBeLessThan(1e-6);
      expect(adaptiveEce(probs, 2, labels)).toBeLessThan(1e-6);
    },
  );

  it("matches a hand-computed example", () => {
    // confidences 0.8 (right) and 0.7 (wrong) fall in bins 12 and 10: |1 − 0.8|/2 + |0 − 0.7|/2 = 0.45
    const p = new Float32Array([0.8, 0.2, 0.3, 0.7]);
    expect(ece(p, 2, [0, 0])).toBeCloseTo(0.45, 6);
    expect(mce(p, 2, [0, 0])).toBeCloseTo(0.7, 6);
    expect(nll(p, 2, [0, 0])).toBeCloseTo((-Math.log(0.8) - Math.log(0.3)) / 2, 6);
    expect(brier(p, 2, [0, 0])).toBeCloseTo((0.04 + 0.04 + 0.49 + 0.49) / 2, 6);
    const bins = reliabilityBins(p, 2, [0, 0], 10);
    expect(bins).toHaveLength(10);
    expect(bins[8]).toMatchObject({ count: 1, accuracy: 1 });
    // float32 0.7 is 0.69999999, so it lands in [0.6, 0.7)
    expect(bins[6]).toMatchObject({ count: 1, accuracy: 0 });
    expect(calibrationReport(p, 2, [0, 0]).accuracy).toBe(0.5);
  });

  it("puts confidence exactly 1 in the last bin and handles empty sets", () => {
    expect(reliabilityBins(new Float32Array([1, 0]), 2, [0], 15)[14]!.count).toBe(1);
    expect(ece(new Float32Array(0), 2, [])).toBe(0);
    expect(adaptiveEce(new Float32Array(0), 2, [])).toBe(0);
  });

  it("treats NaN-free overflowing logits sensibly (NLL clamps at 1e-12)", () => {
    const p = softmax(new Float32Array([1e30, -1e30]), 2);
    expect(nll(p, 2, [1])).toBeCloseTo(-Math.log(1e-12), 6);
  });
});
