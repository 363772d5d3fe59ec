/**
 * Cascades with more exits than the exhaustive sweep enumerates, found by coordinate search instead of
 * the full product of taps × τ grids (which grows as (taps × grid)^K).
 *
 * For each target level of a figure (accuracy or agreement with the MainNet) — the levels of the front
 * found so far — the search asks for the cheapest cascade of k exits reaching it: it starts from the
 * `beam` cheapest (k−1)-exit cascades at that level, inserts each other candidate as an extra exit with
 * its best τ (one coordinate curve, curve.ts), keeps the `beam` cheapest, and then improves each by
 * coordinate descent: τ of one exit at a time, the cheapest τ of its whole grid that keeps the figure at
 * the target, until no exit changes. Every τ of every curve computed on the way is a cascade whose
 * figures are exact (the same tally as a row-by-row evaluation); they are all handed to `emit`.
 *
 * Guaranteed: every point emitted is a k-exit cascade of the grid with its exact figures, and a descent
 * never ends costlier than where it started. Not guaranteed: the cheapest k-exit cascade of the grid
 * (finding that is the product); `pnpm bench:search` measures the gap to it on both fixtures.
 */
import type { ExitCriterion } from "../routing/exit-rule.js";
import type { CascadePoint, CascadeSweepInput } from "./cascade-sweep.js";
import { coordinateCurve, type SearchState } from "./curve.js";
import type { ScoredCandidate } from "./scored.js";
import { cascadeCosts, mainnetCorrect, pointOf } from "./tally.js";

/** Which figure a target constrains. */
export type SearchFigure = "accuracy" | "agreement";

/** Options of {@link searchCascades}. */
export interface SearchOptions {
  /** Cascades kept per target at each step (default 3). */
  beam?: number;
  /** At most this many coordinate passes per descent (default 4). */
  passes?: number;
}

/** The searched k-exit cascade at one target: its state and point. */
interface Found {
  state: SearchState;
  point: CascadePoint;
}

const EPS = 1e-12;

/**
 * Searches cascades of `k` exits under `criterion`, from `starts` (cascades of k−1 exits with every τ
 * < 1, candidate indices ascending), for every level in `targets` of `figure`; emits every cascade
 * evaluated (all τ < 1) and returns the cheapest found per target.
 */
export function searchCascades(
  input: CascadeSweepInput,
  scored: readonly ScoredCandidate[],
  criterion: ExitCriterion,
  k: number,
  starts: readonly CascadePoint[],
  figure: SearchFigure,
  targets: readonly number[],
  emit: (p: CascadePoint) => void,
  o: SearchOptions = {},
): CascadePoint[] {
  const beam = o.beam ?? 3;
  const passes = o.passes ?? 4;
  const n = input.labels.length;
  const mainCorrect = mainnetCorrect(input.mainnetPrediction, input.labels);
  const fig = (p: CascadePoint) => (figure === "accuracy" ? p.accuracy : p.agreement);
  const levelOf = (e: number, tau: number) => scored[e]!.taus.indexOf(tau);

  /** Exit j's curve: every τ's point, the cheapest reaching `target` (none: undefined), all emitted. */
  const step = (s: SearchState, j: number, target: number): Found | undefined => {
    const tallies = coordinateCurve(scored, criterion, s, j, n);
    const costs = cascadeCosts(input.candidates, s.exits);
    const open = scored[s.exits[j]!]!.taus.length - 1;
    let best: Found | undefined;
    for (let t = 0; t < open; t++) {
      const levels = s.levels.slice();
      levels[j] = t;
      if (levels.some((l, i) => l >= scored[s.exits[i]!]!.taus.length - 1)) continue;
      const thresholds = s.exits.map((e, i) => scored[e]!.taus[levels[i]!]!);
      const p = pointOf(n, mainCorrect, s.exits, thresholds, criterion, costs, tallies[t]!);
      emit(p);
      if (fig(p) < target - EPS) continue;
      if (
        !best ||
        p.cost < best.point.cost - EPS ||
        (p.cost <= best.point.cost + EPS && fig(p) > fig(best.point))
      )
        best = { state: { exits: s.exits, levels }, point: p };
    }
    return best;
  };

  const results: CascadePoint[] = [];
  for (const target of targets) {
    // the beam's starts: the cheapest (k−1)-exit cascades reaching the target, one per exit sequence
    const seeds = cheapestDistinct(
      starts.filter((p) => fig(p) >= target - EPS),
      beam,
    );
    // insert each other candidate into each start, with its best τ
    const inserted: Found[] = [];
    for (const p of seeds) {
      for (let c = 0; c < scored.length; c++) {
        if (p.exits.includes(c)) continue;
        const at = p.exits.findIndex((e) => e > c);
        const j = at < 0 ? p.exits.length : at;
        const exits = [...p.exits.slice(0, j), c, ...p.exits.slice(j)];
        const levels = exits.map((e, i) =>
          i === j ? scored[c]!.taus.length - 1 : levelOf(e, p.thresholds[i < j ? i : i - 1]!),
        );
        const f = step({ exits, levels }, j, target);
        if (f) inserted.push(f);
      }
    }
    // coordinate descent from the cheapest insertions
    let best: Found | undefined;
    for (const start of cheapestDistinctFound(inserted, beam)) {
      let cur = start;
      for (let pass = 0; pass < passes; pass++) {
        let changed = false;
        for (let j = 0; j < k; j++) {
          const f = step(cur.state, j, target);
          if (f && f.point.cost < cur.point.cost - EPS) {
            cur = f;
            changed = true;
          }
        }
        if (!changed) break;
      }
      if (!best || cur.point.cost < best.point.cost - EPS) best = cur;
    }
    if (best) results.push(best.point);
  }
  return results;
}

const sequenceKey = (exits: readonly number[]) => exits.join(",");

/** The `count` cheapest points, at most one per exit sequence (ties: the higher accuracy). */
function cheapestDistinct(points: readonly CascadePoint[], count: number): CascadePoint[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  const seen = new Set<string>();
  const out: CascadePoint[] = [];
  for (const p of sorted) {
    const key = sequenceKey(p.exits);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
    if (out.length === count) break;
  }
  return out;
}

function cheapestDistinctFound(found: readonly Found[], count: number): Found[] {
  const byPoint = new Map(found.map((f) => [f.point, f]));
  return cheapestDistinct(
    found.map((f) => f.point),
    count,
  ).map((p) => byPoint.get(p)!);
}
