import type { ExitSpec, SideNetManifest } from "../artefact/format.js";
import { InvalidArgumentError } from "../errors.js";
import {
  type Budget,
  EXIT_CRITERIA,
  type ExitCandidate,
  type ExitCriterion,
  pickCascade,
  sweepCascades,
} from "../selection/cascade-sweep.js";
import { describePoint, type SweepRecord, sweepRecord } from "../selection/record.js";
import type { ModalityAdapter } from "./adapter.js";
import { trainCandidates } from "./candidates.js";
import { measureSmallBatches, writeSmallBatchPolicy } from "./small-batches.js";
import { writeArtefact } from "./write-artefact.js";

/** Labelled items: `items[i]` has label name `labels[i]` (a label of the MainNet's id2label). */
export interface LabelledItems<Item> {
  items: readonly Item[];
  labels: readonly string[];
}

/** Options of {@link attachSideNet}. */
export interface AttachOptions<Item> {
  /** MainNet directory (transformers.js layout). */
  mainnet: string;
  /** Rows the heads train on (may be the MainNet's own training rows). */
  train: LabelledItems<Item>;
  /** Held-out rows the MainNet never trained on: temperature and τ are fitted here (design.md §6). */
  calibration: LabelledItems<Item>;
  /** Where the artefact directory is written. */
  out: string;
  /** Taps to consider (default: every candidate found by structure). */
  taps?: readonly string[];
  /** Poolings to consider (default: all the adapter's); each tap keeps the one of least calibration NLL. */
  poolings?: readonly string[];
  /** Accuracy budget in percentage points below the MainNet, on the calibration rows (default 0.5). */
  maxDrop?: number;
  /** Cost budget instead: the most accurate cascade costing at most this fraction of the MainNet. */
  maxCost?: number;
  /** Most exits in one cascade (1 or 2, default 2). */
  maxExits?: number;
  /** Exit criteria to sweep (default all). */
  criteria?: readonly ExitCriterion[];
  hiddenSize?: number;
  seed?: number;
  /** Names of the splits, stored in sidenet.json. */
  trainName?: string;
  calibrationName?: string;
  /**
   * Time the chosen cascade against the MainNet at batch sizes 1 … 32 and store in sidenet.json below
   * which size the MainNet alone runs (`mainnet_below_rows`; default true).
   */
  measureSmallBatches?: boolean;
  log?: (line: string) => void;
}

/** What {@link attachSideNet} returns: the manifest written and the whole sweep (also in sweep.json). */
export interface AttachResult {
  manifest: SideNetManifest;
  sweep: SweepRecord;
}

/**
 * Attaches a SideNet to a MainNet: features at every candidate tap in one pass, a head per tap trained
 * on `train`, a temperature per head fitted on `calibration`; then every cascade of up to `maxExits`
 * exits × τ × criterion is evaluated on `calibration` (features reused), the budget picks one, and the
 * artefact is written with the choice, the Pareto front and the criterion in sidenet.json and the whole
 * sweep in sweep.json.
 */
export async function attachSideNet<Item>(
  adapter: ModalityAdapter<Item>,
  o: AttachOptions<Item>,
): Promise<AttachResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (o.maxCost !== undefined && o.maxDrop !== undefined) {
    throw new InvalidArgumentError("attach: give maxDrop or maxCost, not both.");
  }
  const budget: Budget = o.maxCost !== undefined ? { maxCost: o.maxCost } : { maxDropPt: o.maxDrop ?? 0.5 };
  const c = await trainCandidates(adapter, o, log);
  const sweepInput = {
    candidates: c.candidates,
    classes: c.classes,
    mainnetPrediction: c.mainnetPrediction,
    labels: c.labels,
    criteria: o.criteria ?? EXIT_CRITERIA,
    maxExits: o.maxExits ?? 2,
  };
  const points = sweepCascades(sweepInput);
  const chosen = pickCascade(points, budget);
  if (!chosen) {
    throw new InvalidArgumentError(
      `attach: no cascade costs at most ${(o.maxCost! * 100).toFixed(1)} % of the MainNet (the cheapest costs ${(Math.min(...points.map((p) => p.cost)) * 100).toFixed(1)} %). Raise maxCost.`,
    );
  }
  const record = sweepRecord(c, points, chosen, budget);
  log(`swept ${points.length} cascades; chosen: ${describePoint(record.chosen)}`);
  if (chosen.exits.length === 0) {
    log("no cascade within the budget beats the MainNet alone: the artefact's exits are off (τ = 1).");
  }
  // the MainNet alone is written as the cheapest single exit, switched off
  const exits = chosen.exits.length > 0 ? chosen.exits : [cheapest(c.candidates)];
  const taus = chosen.exits.length > 0 ? chosen.thresholds : [1];
  const specs: ExitSpec[] = exits.map((e, j) => {
    const k = c.reports[e]!;
    return {
      tap: k.tap,
      pooling: k.pooling,
      head: {
        input_size: k.head.shape.inputSize,
        hidden_size: k.head.shape.hiddenSize,
        classes: c.classes,
        activation: k.head.shape.activation,
      },
      weights: `exit${j}`,
      temperature: k.temperature,
      threshold: taus[j]!,
      confidence: chosen.criterion === "patience" ? "max-prob" : chosen.criterion,
      ...(chosen.criterion === "patience" && j > 0 ? { agree_with_previous: true } : {}),
      metrics: {
        calibration_exit_rate: chosen.exitRates[j] ?? 0,
        measured_cost_share: k.share,
        head_cost_share: k.headCost,
        flops_share: k.flopsShare,
        head_accuracy: k.headAccuracy,
      },
    };
  });
  const written = writeArtefact(
    adapter.task,
    o.mainnet,
    o.out,
    specs,
    exits.map((e) => c.reports[e]!.head),
    {
      train_split: o.trainName ?? "train",
      calibration_split: o.calibrationName ?? "calibration",
      calibration_rows: o.calibration.items.length,
      ...("maxDropPt" in budget ? { max_drop_pt: budget.maxDropPt } : { max_cost: budget.maxCost }),
      criterion:
        "maxDropPt" in budget
          ? "least expected cost within max_drop_pt of the MainNet's accuracy on the calibration split"
          : "best accuracy within max_cost on the calibration split",
    },
    {
      exit_criterion: chosen.criterion,
      chosen: record.chosen,
      mainnet: record.mainnet,
      front: record.front,
      swept: points.length,
    },
    record,
    adapter.poolingGraph,
  );
  let manifest = written;
  if (chosen.exits.length > 0 && o.measureSmallBatches !== false) {
    const m = await measureSmallBatches(adapter, o.out, o.calibration.items);
    log(
      `cascade vs MainNet by batch size: ${m.timings.map((t) => `${t.batch}: ${t.speedup.toFixed(2)}×`).join(", ")}${m.mainnetBelowRows > 1 ? `; batches below ${m.mainnetBelowRows} rows run the MainNet alone` : ""}`,
    );
    manifest = writeSmallBatchPolicy(o.out, written, m);
  }
  return { manifest, sweep: record };
}

const cheapest = (cands: readonly ExitCandidate[]) =>
  cands.reduce((best, x, i) => (x.share < cands[best]!.share ? i : best), 0);
