import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * EfficientNet (`model_type: "efficientnet"`): taps are the MBConv blocks' outputs
 * (`/efficientnet/encoder/blocks.<i>/projection/…`), feature maps `[batch, channels, height, width]`.
 */
export const efficientnet = visionArchitecture({
  family: "efficientnet",
  modelTypes: ["efficientnet"],
  tapLayout: "feature-map",
  poolings: ["global-average"],
  tapName: blockTapName(/^\/efficientnet\/encoder\/blocks\.(\d+)\//, (i) => `block ${i}`),
});
