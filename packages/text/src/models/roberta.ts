import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * RoBERTa (`model_type: "roberta"`): taps are the encoder layers' outputs
 * (`/roberta/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), `[batch, tokens, hidden]`; "cls" pools
 * `<s>`. Position ids are a cumulative count of non-pad tokens inside the embeddings (before any tap).
 */
export const roberta: Architecture = textArchitecture({
  family: "roberta",
  modelTypes: ["roberta"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("roberta"),
});
