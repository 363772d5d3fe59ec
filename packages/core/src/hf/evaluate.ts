import { accuracy, type CalibrationReport, calibrationReport } from "../calibration/metrics.js";
import { applyTemperature } from "../calibration/temperature.js";
import { softmax } from "../math/softmax.js";
import type { ModalityAdapter } from "./adapter.js";
import { type LabelledItems, labelIds } from "./attach.js";
import type { SideNetModel } from "./sidenet-model.js";

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
}

/**
 * Evaluates an artefact on labelled rows: the MainNet (τ = 1), the cascade at the stored τ, and each
 * exit's calibration over all rows (earlier exits off, this one at τ = 0), before and after its temperature.
 */
export async function evaluateSideNet<Item>(
  adapter: ModalityAdapter<Item>,
  model: SideNetModel,
  dir: string,
  data: LabelledItems<Item>,
  batchSize = 32,
): Promise<Evaluation> {
  const rows = data.items;
  const id2label = model.manifest.id2label;
  const C = Object.keys(id2label).length;
  const labels = labelIds(data.labels, id2label, "evaluation data");
  const prepare = await adapter.prepare(dir);
  const E = model.manifest.exits.length;
  const collect = async (thresholds: number[]) => {
    const logits = new Float32Array(rows.length * C);
    const exits = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i += batchSize) {
      const out = await model.run(await prepare(rows.slice(i, i + batchSize) as Item[]), { thresholds });
      logits.set(out.logits, i * C);
      exits.set(out.exitIndex, i);
    }
    return { logits, exits };
  };
  const main = await collect(new Array<number>(E).fill(1));
  const cascade = await collect(model.thresholds);
  const exitCalibration = [];
  for (let e = 0; e < E; e++) {
    const { logits } = await collect(Array.from({ length: E }, (_, k) => (k === e ? 0 : 1)));
    const T = model.manifest.exits[e]!.temperature;
    exitCalibration.push({
      before: calibrationReport(softmax(applyTemperature(logits, 1 / T), C), C, labels),
      after: calibrationReport(softmax(logits, C), C, labels),
    });
  }
  return {
    rows: rows.length,
    mainnetAccuracy: accuracy(main.logits, C, labels),
    cascadeAccuracy: accuracy(cascade.logits, C, labels),
    exitRates: Array.from({ length: E }, (_, e) => cascade.exits.filter((x) => x === e).length / rows.length),
    exitCalibration,
    mainnetCalibration: calibrationReport(softmax(main.logits, C), C, labels),
  };
}
