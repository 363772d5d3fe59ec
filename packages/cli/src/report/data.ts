/** Everything a report shows, gathered from an artefact directory and an evaluation on test rows. */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { calibrationIntervals, reliabilityBins } from "@sidenet/core";
import {
  parseManifest,
  SIDENET_JSON,
  type SideNetManifest,
  SWEEP_JSON,
  type SweepRecord,
} from "@sidenet/core/artefact";
import type { Evaluation } from "@sidenet/core/attach";

/** Figures with bootstrap intervals, as `calibrationIntervals` gives them. */
export type CalibrationIntervals = ReturnType<typeof calibrationIntervals>;
/** One bin of a reliability diagram. */
export type ReliabilityBin = ReturnType<typeof reliabilityBins>[number];

export interface ExitEvidence {
  tap: string;
  pooling: string;
  temperature: number;
  threshold: number;
  before: CalibrationIntervals;
  after: CalibrationIntervals;
  binsBefore: ReliabilityBin[];
  binsAfter: ReliabilityBin[];
  /** Top-1 confidence (after temperature) and correctness of every test row at this exit. */
  confidences: { confidence: number; correct: boolean }[];
}

export interface ReportData {
  name: string;
  dir: string;
  manifest: SideNetManifest;
  sweep: SweepRecord;
  test: { rows: number; mainnetAccuracy: number; cascadeAccuracy: number; exitRates: number[] };
  exits: ExitEvidence[];
  mainnet: { intervals: CalibrationIntervals; bins: ReliabilityBin[] };
  /** Bootstrap resamples behind the intervals. */
  resamples: number;
}

function topConfidences(probs: Float32Array, classes: number, labels: Int32Array) {
  return Array.from(labels, (y, r) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + best]!) best = c;
    return { confidence: probs[r * classes + best]!, correct: best === y };
  });
}

/** Reads sidenet.json and sweep.json of `dir` and puts them beside the test evaluation. */
export function reportData(name: string, dir: string, ev: Evaluation, resamples = 200): ReportData {
  const manifest = parseManifest(readFileSync(join(dir, SIDENET_JSON), "utf8"), join(dir, SIDENET_JSON));
  const sweep = JSON.parse(readFileSync(join(dir, SWEEP_JSON), "utf8")) as SweepRecord;
  const { classes: C, labels } = ev.raw;
  const opts = { resamples, seed: 0 };
  return {
    name,
    dir: relative(process.cwd(), dir) || ".",
    manifest,
    sweep,
    test: {
      rows: ev.rows,
      mainnetAccuracy: ev.mainnetAccuracy,
      cascadeAccuracy: ev.cascadeAccuracy,
      exitRates: ev.exitRates,
    },
    exits: manifest.exits.map((e, i) => {
      const p = ev.raw.exits[i]!;
      return {
        tap: e.tap,
        pooling: e.pooling,
        temperature: e.temperature,
        threshold: e.threshold,
        before: calibrationIntervals(p.before, C, labels, opts),
        after: calibrationIntervals(p.after, C, labels, opts),
        binsBefore: reliabilityBins(p.before, C, labels),
        binsAfter: reliabilityBins(p.after, C, labels),
        confidences: topConfidences(p.after, C, labels),
      };
    }),
    mainnet: {
      intervals: calibrationIntervals(ev.raw.mainnet, C, labels, opts),
      bins: reliabilityBins(ev.raw.mainnet, C, labels),
    },
    resamples,
  };
}

/** What a sweep's costs measure, in words (older sweeps: measured time shares). */
export const costMeasureOf = (s: SweepRecord): string =>
  s.cost_measure === "flops"
    ? "share of the MainNet's FLOPs counted on the graph, heads included"
    : "share of the MainNet's measured time, heads included";
