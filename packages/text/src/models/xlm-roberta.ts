import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * XLM-RoBERTa (`model_type: "xlm-roberta"`): RoBERTa's graph under the same `roberta` module prefix
 * (`/roberta/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`); "cls" pools `<s>`.
 */
export const xlmRoberta: Architecture = textArchitecture({
  family: "xlm-roberta",
  modelTypes: ["xlm-roberta"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("roberta"),
});
