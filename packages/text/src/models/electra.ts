import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName } from "./layer-tap.js";

/**
 * ELECTRA (`model_type: "electra"`, discriminators): taps are the encoder layers' outputs
 * (`/electra/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), after the embeddings' projection to the
 * hidden size.
 */
export const electra: Architecture = Object.freeze({
  family: "electra",
  modelTypes: Object.freeze(["electra"]),
  task: "text-classification",
  processor: "AutoTokenizer",
  tapLayout: "sequence",
  poolings: Object.freeze(["cls", "mean"] as const),
  tapName: layerTapName("electra"),
});
