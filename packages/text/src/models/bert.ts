import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName } from "./layer-tap.js";

/**
 * BERT (`model_type: "bert"`): taps are the encoder layers' outputs
 * (`/bert/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), `[batch, tokens, hidden]`; the extended
 * attention mask is computed before layer 0 and carried across cuts.
 */
export const bert: Architecture = Object.freeze({
  family: "bert",
  modelTypes: Object.freeze(["bert"]),
  task: "text-classification",
  processor: "AutoTokenizer",
  tapLayout: "sequence",
  poolings: Object.freeze(["cls", "mean"] as const),
  tapName: layerTapName("bert"),
});
