import { invalid, ShapeMismatchError } from "../errors.js";
import type { CascadePoint } from "./cascade-sweep.js";

/**
 * A budget: least cost within an accuracy drop; best accuracy within a cost; or least cost whose answers
 * agree with the MainNet's on at least a share of rows (a budget that needs no labels to hold).
 */
export type Budget = { maxDropPt: number } | { maxCost: number } | { minAgreement: number };

/**
 * The cascade a budget picks: with `maxDropPt`, the cheapest point whose accuracy is at most that many
 * points below the MainNet alone (the point with no exits); with `maxCost`, the most accurate point
 * costing at most that fraction; with `minAgreement`, the cheapest point whose answers equal the
 * MainNet's on at least that share of rows. Ties go to the other figure (accuracy). The MainNet alone
 * always qualifies for `maxDropPt` and `minAgreement`; for `maxCost` no point may fit (undefined).
 */
export function pickCascade(points: readonly CascadePoint[], budget: Budget): CascadePoint | undefined {
  const mainnet = points.find((p) => p.exits.length === 0);
  if ("maxDropPt" in budget || "minAgreement" in budget) {
    if ("maxDropPt" in budget && !(budget.maxDropPt >= 0))
      invalid("pickCascade", "maxDropPt", budget.maxDropPt, "≥ 0 points");
    if ("minAgreement" in budget && !(budget.minAgreement > 0 && budget.minAgreement <= 1))
      invalid("pickCascade", "minAgreement", budget.minAgreement, "a share in (0, 1]");
    if (!mainnet) throw new ShapeMismatchError("pickCascade: the sweep has no MainNet-alone point.");
    const ok =
      "maxDropPt" in budget
        ? (p: CascadePoint) => p.accuracy >= mainnet.accuracy - budget.maxDropPt / 100 - 1e-12
        : (p: CascadePoint) => p.agreement >= budget.minAgreement - 1e-12;
    return points
      .filter(ok)
      .reduce((best, p) =>
        p.cost < best.cost - 1e-12 || (Math.abs(p.cost - best.cost) <= 1e-12 && p.accuracy > best.accuracy)
          ? p
          : best,
      );
  }
  if (!(budget.maxCost > 0)) invalid("pickCascade", "maxCost", budget.maxCost, "a fraction > 0");
  const ok = points.filter((p) => p.cost <= budget.maxCost + 1e-12);
  if (ok.length === 0) return undefined;
  return ok.reduce((best, p) =>
    p.accuracy > best.accuracy || (p.accuracy === best.accuracy && p.cost < best.cost) ? p : best,
  );
}
