import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * DeBERTa-v2 / v3 (`model_type: "deberta-v2"`): taps are the encoder layers' outputs
 * (`/deberta/encoder/layer.<i>/output/LayerNorm/Add_1_output_0`). The relative positions and the
 * normalised relative embeddings are built once and read by every layer: cuts carry what the exporter
 * computed from them in layer 0.
 */
export const debertaV2: Architecture = textArchitecture({
  family: "deberta-v2",
  modelTypes: ["deberta-v2"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("deberta"),
});
