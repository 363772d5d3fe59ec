import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXIT_CRITERIA, exitRule, leaves, shouldExit } from "../src/internal.js";

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
});
