import {
  accuracy,
  applyTemperature,
  type CalibrationReport,
  calibrationReport,
  softmax,
} from "@sidenet/core";
import { AutoTokenizer, type SideNetModel, type TensorMap } from "@sidenet/core/hf";
import { labelIds, type TextRow } from "./data.js";

/** What {@link evaluateTextSideNet} reports. */
export interface TextEvaluation {
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
 * exit's calibration over all rows (τ = 0 on that exit), before and after its temperature.
 */
export async function evaluateTextSideNet(
  model: SideNetModel,
  dir: string,
  rows: readonly TextRow[],
  batchSize = 32,
): Promise<TextEvaluation> {
  const id2label = model.manifest.id2label;
  const C = Object.keys(id2label).length;
  const labels = labelIds(rows, id2label, "evaluation data");
  const tokenizer = (await AutoTokenizer.from_pretrained(dir)) as (t: string[], o: object) => TensorMap;
  const E = model.manifest.exits.length;
  const collect = async (thresholds: number[]) => {
    const logits = new Float32Array(rows.length * C);
    const exits = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i += batchSize) {
      const batch = rows.slice(i, i + batchSize).map((r) => r.text);
      const out = await model.run(tokenizer(batch, { padding: true, truncation: true }), { thresholds });
      logits.set(out.logits, i * C);
      exits.set(out.exitIndex, i);
    }
    return { logits, exits };
  };
  const main = await collect(new Array<number>(E).fill(1));
  const cascade = await collect(model.thresholds);
  const exitCalibration = [];
  for (let e = 0; e < E; e++) {
    // every row leaves at exit e: earlier exits off, this one at τ = 0
    const { logits } = await collect(Array.from({ length: E }, (_, k) => (k === e ? 0 : 1)));
    const T = model.manifest.exits[e]!.temperature;
    exitCalibration.push({
      before: calibrationReport(softmax(applyTemperature(logits, 1 / T), C), C, labels),
      after: calibrationReport(softmax(logits, C), C, labels),
    });
  }
  const exitRates = Array.from(
    { length: E },
    (_, e) => cascade.exits.filter((x) => x === e).length / rows.length,
  );
  return {
    rows: rows.length,
    mainnetAccuracy: accuracy(main.logits, C, labels),
    cascadeAccuracy: accuracy(cascade.logits, C, labels),
    exitRates,
    exitCalibration,
    mainnetCalibration: calibrationReport(softmax(main.logits, C), C, labels),
  };
}
