import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * DistilBERT (`model_type: "distilbert"`): taps are the transformer blocks' outputs
 * (`/distilbert/transformer/layer.<i>/output_layer_norm/Add_1_output_0`), `[batch, tokens, hidden]`. No
 * token_type_ids; the exporter computes the attention mask once inside layer 0's scope, and cuts carry it.
 */
export const distilbert: Architecture = textArchitecture({
  family: "distilbert",
  modelTypes: ["distilbert"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("distilbert", "transformer/layer"),
});
