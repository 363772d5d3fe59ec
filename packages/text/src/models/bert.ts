import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * BERT (`model_type: "bert"`): taps are the encoder layers' outputs
 * (`/bert/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), `[batch, tokens, hidden]`; the extended
 * attention mask is computed before layer 0 and carried across cuts.
 */
export const bert: Architecture = textArchitecture({
  family: "bert",
  modelTypes: ["bert"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("bert"),
});
