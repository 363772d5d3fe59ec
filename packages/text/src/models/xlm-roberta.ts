import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName } from "./layer-tap.js";

/**
 * XLM-RoBERTa (`model_type: "xlm-roberta"`): RoBERTa's graph under the same `roberta` module prefix
 * (`/roberta/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`); "cls" pools `<s>`.
 */
export const xlmRoberta: Architecture = Object.freeze({
  family: "xlm-roberta",
  modelTypes: Object.freeze(["xlm-roberta"]),
  task: "text-classification",
  processor: "AutoTokenizer",
  tapLayout: "sequence",
  poolings: Object.freeze(["cls", "mean"] as const),
  tapName: layerTapName("roberta"),
});
