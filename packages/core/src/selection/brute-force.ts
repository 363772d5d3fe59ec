/**
 * The reference the fast sweeps are tested and timed against: every cascade of up to `maxExits` exits
 * × the full product of τ grids, each evaluated row by row ({@link evaluateCascade}) — what the sweep
 * did before the exhaustive histograms and the coordinate search. Same order as
 * {@link exhaustiveCascades}. Cost: (taps × grid)^K × rows; for tests and the benchmark only.
 */
import { EXIT_CRITERIA, type ExitCriterion } from "../routing/exit-rule.js";
import { type CascadePoint, type CascadeSweepInput, evaluateCascade } from "./cascade-sweep.js";
import { scoreCandidates } from "./scored.js";

/** Every cascade of 1 … `maxExits` exits under `criterion`, each τ < 1 of each exit's grid. */
export function bruteForceCriterion(
  input: CascadeSweepInput,
  criterion: ExitCriterion,
  maxExits: number,
  emit: (p: CascadePoint) => void,
): void {
  const scored = scoreCandidates(input, criterion, input.grid ?? 20);
  const m = scored.length;
  const exits: number[] = [];
  const product = (j: number, taus: number[]) => {
    if (j === exits.length) {
      emit(evaluateCascade(input, exits, taus, criterion, scored));
      return;
    }
    for (const t of scored[exits[j]!]!.taus) if (t < 1) product(j + 1, [...taus, t]);
  };
  const walk = (first: number) => {
    for (let e = first; e < m; e++) {
      exits.push(e);
      if (!(criterion === "patience" && exits.length === 1)) product(0, []);
      if (exits.length < maxExits) walk(e + 1);
      exits.pop();
    }
  };
  walk(0);
}

/** The MainNet alone, then {@link bruteForceCriterion} for each criterion of the input. */
export function bruteForceCascades(input: CascadeSweepInput, maxExits: number): CascadePoint[] {
  const points = [evaluateCascade(input, [], [], "max-prob", [])];
  for (const c of input.criteria ?? EXIT_CRITERIA)
    bruteForceCriterion(input, c, maxExits, (p) => points.push(p));
  return points;
}
