import type { ExitCriterion } from "../routing/exit-rule.js";
import type { Budget } from "./budget.js";
import type { CascadePoint } from "./cascade-sweep.js";
import { paretoFront } from "./front.js";

/** A cascade as stored in sidenet.json / sweep.json (snake_case: a file format). */
export interface PointRecord {
  taps: string[];
  thresholds: number[];
  criterion: ExitCriterion;
  accuracy: number;
  agreement: number;
  exit_rates: number[];
  cost: number;
  /** Expected FLOPs as a share of the MainNet's (counted on the graph), when known. */
  flops?: number;
}

/** Contents of sweep.json: the candidates, every single-exit curve, the fronts, the choice. */
export interface SweepRecord {
  rows: number;
  budget: { max_drop_pt: number } | { max_cost: number } | { min_agreement: number };
  /** What a point's `cost` measures: "flops" (heads included), or measured time shares (older sweeps: absent). */
  cost_measure?: "flops" | "measured-time";
  candidates: {
    tap: string;
    pooling: string;
    /** Measured share of the MainNet's time before the tap. */
    share: number;
    /** Measured time of the head per row, as a share of the MainNet's. */
    head_cost: number;
    /** FLOPs of the head per row, as a share of the MainNet's. */
    head_flops?: number;
    temperature: number;
    head_accuracy: number;
  }[];
  mainnet: PointRecord;
  chosen: PointRecord;
  /** Pareto front over every cascade swept. */
  front: PointRecord[];
  /** Pareto front over single-exit cascades only. */
  front_single: PointRecord[];
  /** Every single-exit point, for exit rate vs τ curves. */
  single: PointRecord[];
  /** How many cascades of each size were evaluated (enumerated or searched; "0" is the MainNet alone). */
  swept: Record<string, number>;
}

/** A cascade in words, for logs. */
export function describePoint(p: PointRecord): string {
  if (p.taps.length === 0) return `the MainNet alone, accuracy ${(p.accuracy * 100).toFixed(2)} %`;
  const exits = p.taps.map(
    (t, i) => `${t} τ ${p.thresholds[i]!.toFixed(3)} (exit ${(p.exit_rates[i]! * 100).toFixed(1)} %)`,
  );
  return `${exits.join(" → ")} [${p.criterion}], accuracy ${(p.accuracy * 100).toFixed(2)} %, cost ${(p.cost * 100).toFixed(1)} %`;
}

/** The sweep as stored: points named by tap, fronts computed. */
export function sweepRecord(
  c: {
    reports: readonly {
      tap: string;
      pooling: string;
      share: number;
      headCost: number;
      flopsShare?: number;
      headFlops?: number;
      temperature: number;
      headAccuracy: number;
    }[];
    labels: ArrayLike<number>;
    /** What the points' costs measure. */
    costMeasure?: "flops" | "measured-time";
  },
  points: readonly CascadePoint[],
  chosen: CascadePoint,
  budget: Budget,
  /** Cascades evaluated per size, as {@link sweepCascades} counts them (default: the points given). */
  evaluated?: Record<string, number>,
): SweepRecord {
  const rec = (p: CascadePoint): PointRecord => ({
    taps: p.exits.map((e) => c.reports[e]!.tap),
    thresholds: p.thresholds,
    criterion: p.criterion,
    accuracy: p.accuracy,
    agreement: p.agreement,
    exit_rates: p.exitRates,
    cost: p.cost,
    ...(p.flops === undefined ? {} : { flops: p.flops }),
  });
  const mainnet = points.find((p) => p.exits.length === 0)!;
  const single = points.filter((p) => p.exits.length === 1);
  const swept: Record<string, number> = evaluated ? { ...evaluated } : {};
  if (!evaluated) for (const p of points) swept[`${p.exits.length}`] = (swept[`${p.exits.length}`] ?? 0) + 1;
  return {
    rows: c.labels.length,
    budget: budgetRecord(budget),
    ...(c.costMeasure ? { cost_measure: c.costMeasure } : {}),
    candidates: c.reports.map((r) => ({
      tap: r.tap,
      pooling: r.pooling,
      share: r.share,
      head_cost: r.headCost,
      ...(r.flopsShare === undefined ? {} : { flops_share: r.flopsShare }),
      ...(r.headFlops === undefined ? {} : { head_flops: r.headFlops }),
      temperature: r.temperature,
      head_accuracy: r.headAccuracy,
    })),
    mainnet: rec(mainnet),
    chosen: rec(chosen),
    front: paretoFront(points).map(rec),
    front_single: paretoFront([mainnet, ...single]).map(rec),
    single: single.map(rec),
    swept,
  };
}

/** A budget as sweep.json and sidenet.json's `calibration` spell it (snake_case: a file format). */
export function budgetRecord(b: Budget): SweepRecord["budget"] {
  if ("maxDropPt" in b) return { max_drop_pt: b.maxDropPt };
  if ("maxCost" in b) return { max_cost: b.maxCost };
  return { min_agreement: b.minAgreement };
}
