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
 * The τ that lets a share `rate` of rows out at an exit, given their confidences there ({@link shouldExit}):
 * halfway between the k-th and the (k + 1)-th highest confidence, k = round(rate · n) — exactly k rows
 * pass when the confidences are distinct (ties pass together); 0 when every row is to leave; for none,
 * halfway between the highest and 1 (the exit still runs, nobody passes), or 1 (off) when the highest is
 * 1 already. NaN confidences never pass and are left out. For exploring the compute–accuracy trade-off,
 * and for benchmarks that force an exit rate.
 */
export function thresholdForRate(confidences: ArrayLike<number>, rate: number): number {
  if (!(rate >= 0 && rate <= 1))
    throw new RangeError(`thresholdForRate: rate is ${rate}; expected a share in [0, 1].`);
  const c = Array.from(confidences)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => b - a);
  const k = Math.round(rate * c.length);
  if (k >= c.length) return 0;
  if (k === 0) return c[0]! < 1 ? (c[0]! + 1) / 2 : 1;
  return Math.min(1, Math.max(0, (c[k - 1]! + c[k]!) / 2));
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
