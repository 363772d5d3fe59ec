import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * ModernBERT (`model_type: "modernbert"`): taps are the pre-norm layers' residual outputs
 * (`/model/layers.<i>/Add_1_output_0`); masked mean first, as its own `classifier_pooling` default. No
 * token_type_ids; the global and sliding-window attention masks are built once and carried across cuts;
 * rotary embeddings are computed inside each layer.
 */
export const modernbert: Architecture = textArchitecture({
  family: "modernbert",
  modelTypes: ["modernbert"],
  poolings: ["mean", "cls"],
  tapName: layerTapName("model", "layers"),
});
