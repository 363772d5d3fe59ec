import { accuracy, type CalibrationReport, calibrationReport } from "../calibration/metrics.js";
import { applyTemperature } from "../calibration/temperature.js";
import { softmax } from "../math/softmax.js";
import type { SideNetModel } from "../runtime/sidenet-model.js";
import type { TensorMap } from "../runtime/transformers.js";
import type { LabelledItems } from "./attach.js";
import { labelIds } from "./labels.js";

/** What {@link evaluateSideNet} reports. */
export interface Evaluation {
  rows: number;
  mainnetAccuracy: number;
  cascadeAccuracy: number;
  /** Share of rows leaving at each exit. */
  exitRates: number[];
  /** Per exit: calibration of the head on every row, before (T = 1) and after temperature scaling. */
  exitCalibration: { before: CalibrationReport; after: CalibrationReport }[];
  mainnetCalibration: CalibrationReport;
  /**
   * What the pipeline really does when called with batches of `batch` rows: the stored τ *and* the stored
   * policies (the small-batch rule `mainnet_below_rows` runs the MainNet alone on smaller batches), where
   * `cascadeAccuracy` and `exitRates` are the cascade's at every batch size.
   */
  atBatch: {
    batch: number;
    accuracy: number;
    exitRates: number[];
    /** Rows the small-batch rule sent to the MainNet alone (batches, the last one included, below the rule). */
    mainnetOnlyRows: number;
  };
  /** Per-row arrays behind the figures (for plots and intervals): not serialised by the CLI. */
  raw: {
    classes: number;
    labels: Int32Array;
    /** The MainNet's probabilities. */
    mainnet: Float32Array;
    /** Per exit, its head's probabilities on every row, before and after temperature. */
    exits: { before: Float32Array; after: Float32Array }[];
    /** Exit index (−1: MainNet) and deciding confidence of every row in the cascade at the stored τ. */
    cascadeExit: Int32Array;
    cascadeConfidence: Float32Array;
  };
}

/**
 * Evaluates a loaded artefact on labelled rows (`prepare`: its modality's pre-processing): the MainNet (τ = 1), the cascade at the stored τ, and each
 * exit's calibration over all rows (earlier exits off, this one at τ = 0), before and after its temperature;
 * and the pipeline as it runs at `batchSize` (stored τ and policies).
 */
export async function evaluateSideNet<Item>(
  model: SideNetModel,
  prepare: (items: Item[]) => Promise<TensorMap>,
  data: LabelledItems<Item>,
  batchSize = 32,
): Promise<Evaluation> {
  const rows = data.items;
  const id2label = model.manifest.id2label;
  const C = Object.keys(id2label).length;
  const labels = labelIds(data.labels, id2label, "evaluation data", data.where);
  const E = model.manifest.exits.length;
  const collect = async (thresholds: number[], patience = true) => {
    const logits = new Float32Array(rows.length * C);
    const exits = new Int32Array(rows.length);
    const conf = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i += batchSize) {
      const out = await model.run(await prepare(rows.slice(i, i + batchSize) as Item[]), {
        thresholds,
        patience,
      });
      logits.set(out.logits, i * C);
      exits.set(out.exitIndex, i);
      conf.set(out.confidence, i);
    }
    return { logits, exits, conf };
  };
  const main = await collect(new Array<number>(E).fill(1));
  const cascade = await collect(model.thresholds);
  // the pipeline at this batch size: the cascade, except on batches the small-batch rule gives to the
  // MainNet alone (SideNetModel.run takes the same two paths) — derived, not run a third time
  const below = model.mainnetBelowRows;
  const piped = { logits: Float32Array.from(cascade.logits), exits: Int32Array.from(cascade.exits) };
  let mainnetOnlyRows = 0;
  for (let i = 0; i < rows.length; i += batchSize) {
    const b = Math.min(batchSize, rows.length - i);
    if (below > 0 && b < below) {
      mainnetOnlyRows += b;
      piped.logits.set(main.logits.subarray(i * C, (i + b) * C), i * C);
      piped.exits.fill(-1, i, i + b);
    }
  }
  const rates = (exits: Int32Array) =>
    Array.from({ length: E }, (_, e) => exits.filter((x) => x === e).length / rows.length);
  const exitCalibration = [];
  const exitProbs = [];
  for (let e = 0; e < E; e++) {
    // this exit alone at τ = 0 (patience off): every row leaves here
    const { logits } = await collect(
      Array.from({ length: E }, (_, k) => (k === e ? 0 : 1)),
      false,
    );
    const T = model.manifest.exits[e]!.temperature;
    const probs = { before: softmax(applyTemperature(logits, 1 / T), C), after: softmax(logits, C) };
    exitProbs.push(probs);
    exitCalibration.push({
      before: calibrationReport(probs.before, C, labels),
      after: calibrationReport(probs.after, C, labels),
    });
  }
  const mainnetProbs = softmax(main.logits, C);
  return {
    rows: rows.length,
    mainnetAccuracy: accuracy(main.logits, C, labels),
    cascadeAccuracy: accuracy(cascade.logits, C, labels),
    exitRates: rates(cascade.exits),
    exitCalibration,
    mainnetCalibration: calibrationReport(mainnetProbs, C, labels),
    atBatch: {
      batch: batchSize,
      accuracy: accuracy(piped.logits, C, labels),
      exitRates: rates(piped.exits),
      mainnetOnlyRows,
    },
    raw: {
      classes: C,
      labels,
      mainnet: mainnetProbs,
      exits: exitProbs,
      cascadeExit: cascade.exits,
      cascadeConfidence: cascade.conf,
    },
  };
}
