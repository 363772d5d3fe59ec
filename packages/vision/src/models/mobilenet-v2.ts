import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * MobileNetV2 (`model_type: "mobilenet_v2"`): taps are the inverted-residual blocks' outputs
 * (`/mobilenet_v2/layer.<i>/…`: the residual add, or the 1×1 reduction of a block that changes shape),
 * feature maps `[batch, channels, height, width]`.
 */
export const mobilenetV2 = visionArchitecture({
  family: "mobilenet_v2",
  modelTypes: ["mobilenet_v2"],
  tapLayout: "feature-map",
  poolings: ["global-average"],
  tapName: blockTapName(/^\/mobilenet_v2\/layer\.(\d+)\//, (i) => `layer ${i}`),
});
