import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { confidence, softmax } from "../src/index.js";
import { CONFIDENCE_MEASURES } from "../src/internal.js";
import { batchArb } from "./helpers/arbitraries.js";

describe("confidence", () => {
  test.prop([batchArb(), fc.constantFrom(...CONFIDENCE_MEASURES)])(
    "lies in [0, 1] for every measure",
    ({ classes, logits }, measure) => {
      for (const c of confidence(softmax(logits, classes), classes, measure)) {
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
      }
    },
  );

  it("computes the documented values", () => {
    const p = new Float32Array([0.7, 0.2, 0.1, 1 / 3, 1 / 3, 1 / 3]);
    const [a, b] = confidence(p, 3, "max-prob");
    expect(a).toBeCloseTo(0.7, 6);
    expect(b).toBeCloseTo(1 / 3, 6);
    expect(confidence(p, 3, "margin")[0]).toBeCloseTo(0.5, 6);
    expect(confidence(p, 3, "entropy")[1]).toBeCloseTo(0, 6);
    expect(confidence(new Float32Array([1, 0, 0]), 3, "entropy")[0]).toBe(1);
  });

  it("is NaN for rows with NaN, so they never exit", () => {
    for (const m of CONFIDENCE_MEASURES) {
      expect(Number.isNaN(confidence(new Float32Array([Number.NaN, 0.5]), 2, m)[0]!)).toBe(true);
    }
  });

  it("rejects an unknown measure with the list of valid ones", () => {
    expect(() => confidence(new Float32Array([0.5, 0.5]), 2, "bogus" as never)).toThrow(
      /max-prob, margin, entropy/,
    );
  });
});
