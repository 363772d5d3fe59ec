import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXIT_CRITERIA, exitRule, leaves, shouldExit, thresholdForRate } from "../src/internal.js";

describe("the exit rule", () => {
  it("maps each criterion to a measure, patience to max-prob needing agreement after the first exit", () => {
    expect(exitRule("margin", 1)).toEqual({ measure: "margin", agreeWithPrevious: false });
    expect(exitRule("patience", 0)).toEqual({ measure: "max-prob", agreeWithPrevious: false });
    expect(exitRule("patience", 1)).toEqual({ measure: "max-prob", agreeWithPrevious: true });
  });

  test.prop([
    fc.constantFrom(...EXIT_CRITERIA),
    fc.nat(3),
    fc.float({ min: 0, max: 1, noNaN: true }),
    fc.float({ min: 0, max: 1, noNaN: true }),
    fc.nat(3),
    fc.option(fc.nat(3), { nil: undefined }),
  ])(
    "a row leaves iff its confidence passes τ and, where the rule needs it, it agrees with the previous exit",
    (criterion, index, conf, tau, answer, previous) => {
      const rule = exitRule(criterion, index);
      const agree = !rule.agreeWithPrevious || previous === undefined || previous === answer;
      expect(leaves(conf, tau, rule, answer, previous)).toBe(shouldExit(conf, tau) && agree);
    },
  );

  it("τ = 1 is off, τ = 0 lets every finite confidence out, NaN never leaves", () => {
    expect(shouldExit(1, 1)).toBe(false);
    expect(shouldExit(0, 0)).toBe(true);
    expect(shouldExit(Number.NaN, 0)).toBe(false);
  });

  test.prop([
    fc.uniqueArray(fc.float({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
      minLength: 1,
      maxLength: 200,
      comparator: "SameValueZero",
    }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])("thresholdForRate lets exactly round(rate · n) of n distinct confidences out", (conf, rate) => {
    const tau = thresholdForRate(conf, rate);
    expect(tau).toBeGreaterThanOrEqual(0);
    expect(tau).toBeLessThan(1);
    expect(conf.filter((c) => shouldExit(c, tau)).length).toBe(Math.round(rate * conf.length));
  });

  it("thresholdForRate: ties pass together, a confidence of 1 makes 0 % the exit off, NaN is left out", () => {
    expect(conf3(thresholdForRate([0.9, 0.7, 0.7, 0.2], 0.5))).toBe(3);
    expect(thresholdForRate([1, 0.6], 0)).toBe(1);
    expect(thresholdForRate([0.8, Number.NaN, 0.6], 1)).toBe(0);
    expect(thresholdForRate([0.8, Number.NaN, 0.6], 0.5)).toBeCloseTo(0.7);
    expect(() => thresholdForRate([0.5], 1.5)).toThrow(/rate is 1.5/);
    function conf3(tau: number) {
      return [0.9, 0.7, 0.7, 0.2].filter((c) => shouldExit(c, tau)).length;
    }
  });
});
