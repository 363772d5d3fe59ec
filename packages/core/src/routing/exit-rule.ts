import { invalid } from "../errors.js";
import type { ConfidenceMeasure } from "../math/confidence.js";

/**
 * How an exit decides, in one place for the sweep (`evaluateCascade`), the artefact (`exits[i].confidence`,
 * `agree_with_previous`) and the runtime (`runCascade`): a confidence measure, or `patience` — max-prob,
 * and at every exit after the first the row must also get the same answer as at the exit before
 * (patience of one, after PABEE).
 */
export type ExitCriterion = ConfidenceMeasure | "patience";
export const EXIT_CRITERIA: readonly ExitCriterion[] = ["max-prob", "margin", "entropy", "patience"];

/** What one exit of a cascade checks: its confidence measure, and whether it needs the previous answer. */
export interface ExitRule {
  measure: ConfidenceMeasure;
  agreeWithPrevious: boolean;
}

/** The rule of exit `index` of a cascade under `criterion`. */
export function exitRule(criterion: ExitCriterion, index: number): ExitRule {
  if (criterion === "patience") return { measure: "max-prob", agreeWithPrevious: index > 0 };
  return { measure: criterion, agreeWithPrevious: false };
}

/**
 * The threshold rule: a confidence ≥ τ passes.
 * - τ ≥ 1 turns the exit off: float rounding can make a confidence exactly 1, and τ = 1 must
 *   reproduce the MainNet.
 * - τ ≤ 0 lets every row with a finite confidence out.
 * - A NaN confidence never passes.
 */
export function shouldExit(confidence: number, threshold: number): boolean {
  return threshold < 1 && confidence >= threshold;
}

/**
 * Whether a row leaves at an exit: its confidence passes τ and, when the rule needs agreement, its answer
 * equals the one it got at the previous exit (`previous` undefined: no previous exit, or patience off).
 */
export function leaves(
  confidence: number,
  threshold: number,
  rule: ExitRule,
  answer: number,
  previous: number | undefined,
): boolean {
  return (
    shouldExit(confidence, threshold) &&
    (!rule.agreeWithPrevious || previous === undefined || previous === answer)
  );
}

/** Checks a threshold: a number in [0, 1] (1 = exit off). */
export function checkThreshold(api: string, option: string, tau: number): number {
  if (typeof tau !== "number" || Number.isNaN(tau) || tau < 0 || tau > 1) {
    invalid(api, option, tau, "a number in [0, 1] (0: every row exits, 1: the exit is off)");
  }
  return tau;
}

/** The lowest confidence `measure` can give a valid probability row over `classes` classes. */
export function confidenceFloor(measure: ConfidenceMeasure, classes: number): number {
  if (classes <= 1) return 1;
  return measure === "max-prob" ? 1 / classes : 0;
}

/**
 * What a threshold means for an exit, in words: `"off"` at τ ≥ 1, `"every row"` when τ is at or below
 * the lowest confidence the measure can give (1/classes for max-prob, 0 for margin and entropy) — with
 * agreement, every row that agrees with the exit before — else `"confidence ≥ τ"`.
 */
export function thresholdMeaning(
  threshold: number,
  rule: ExitRule,
  classes: number,
): "off" | "every row" | "every agreeing row" | "confidence ≥ τ" {
  if (threshold >= 1) return "off";
  if (threshold <= confidenceFloor(rule.measure, classes)) {
    return rule.agreeWithPrevious ? "every agreeing row" : "every row";
  }
  return "confidence ≥ τ";
}
