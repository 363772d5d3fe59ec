import { invalid } from "../errors.js";

/**
 * The exit rule: a row leaves at an exit when its confidence is ≥ τ.
 * - τ ≥ 1 turns the exit off: float rounding can make a confidence exactly 1, and τ = 1 must
 *   reproduce the MainNet.
 * - τ ≤ 0 lets every row with a finite confidence out.
 * - A NaN confidence never exits.
 */
export function shouldExit(confidence: number, threshold: number): boolean {
  return threshold < 1 && confidence >= threshold;
}

/** Checks a threshold: a number in [0, 1] (1 = exit off). */
export function checkThreshold(api: string, option: string, tau: number): number {
  if (typeof tau !== "number" || Number.isNaN(tau) || tau < 0 || tau > 1) {
    invalid(api, option, tau, "a number in [0, 1] (0: every row exits, 1: the exit is off)");
  }
  return tau;
}
