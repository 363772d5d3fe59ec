import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * ELECTRA (`model_type: "electra"`, discriminators): taps are the encoder layers' outputs
 * (`/electra/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`), after the embeddings' projection to the
 * hidden size.
 */
export const electra: Architecture = textArchitecture({
  family: "electra",
  modelTypes: ["electra"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("electra"),
});
