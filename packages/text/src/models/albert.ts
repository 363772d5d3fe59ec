import type { Architecture } from "@sidenet/core/runtime";
import { textArchitecture } from "./entry.js";

const REPEAT =
  /^\/albert\/encoder\/albert_layer_groups\.(\d+)\/albert_layers\.(\d+)(?:_\d+)?\/full_layer_layer_norm(?:_(\d+))?\//;

/**
 * ALBERT (`model_type: "albert"`): one layer's weights applied `num_hidden_layers` times. The export unrolls
 * the repeats under one scope and numbers the repeated sub-scopes, so taps are the repeats' outputs
 * `/albert/encoder/albert_layer_groups.0/albert_layers.0/full_layer_layer_norm_<k>/Add_1_output_0` (k = 0
 * unnumbered), found by the tap finder's repeat fallback. Factorised embeddings are projected to the hidden
 * size before the first repeat.
 */
export const albert: Architecture = textArchitecture({
  family: "albert",
  modelTypes: ["albert"],
  poolings: ["cls", "mean"],
  tapName: (tap: string) => {
    const m = REPEAT.exec(tap);
    if (!m) return undefined;
    const repeat = m[3] ?? "0";
    return m[1] === "0" ? `layer ${repeat}` : `group ${m[1]} layer ${repeat}`;
  },
});
