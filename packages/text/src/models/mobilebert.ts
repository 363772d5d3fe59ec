import type { Architecture } from "@sidenet/core/runtime";
import { layerTapName, textArchitecture } from "./entry.js";

/**
 * MobileBERT (`model_type: "mobilebert"`): taps are the thin layers' outputs after their output
 * bottleneck (`/mobilebert/encoder/layer.<i>/output/bottleneck/LayerNorm/Add_output_0`), at the full hidden
 * size (512 in the hub models, not the 128-wide bottleneck).
 */
export const mobilebert: Architecture = textArchitecture({
  family: "mobilebert",
  modelTypes: ["mobilebert"],
  poolings: ["cls", "mean"],
  tapName: layerTapName("mobilebert"),
});
