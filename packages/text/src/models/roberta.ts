import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName } from "./layer-tap.js";

/**
 * RoBERTa (`model_type: "roberta"`): taps are the encoder layers' outputs
 * (`/roberta/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), `[batch, tokens, hidden]`; "cls" pools
 * `<s>`. Position ids are a cumulative count of non-pad tokens inside the embeddings (before any tap).
 */
export const roberta: Architecture = Object.freeze({
  family: "roberta",
  modelTypes: Object.freeze(["roberta"]),
  task: "text-classification",
  processor: "AutoTokenizer",
  tapLayout: "sequence",
  poolings: Object.freeze(["cls", "mean"] as const),
  tapName: layerTapName("roberta"),
});
