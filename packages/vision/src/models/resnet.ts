import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * ResNet (`model_type: "resnet"`, the Hugging Face layout, basic and bottleneck blocks): taps are the
 * blocks' outputs (`/resnet/encoder/stages.<s>/layers/layers.<b>/…`), feature maps
 * `[batch, channels, height, width]`; nothing is carried across cuts. Pre-processing:
 * `ConvNextImageProcessor` through `AutoProcessor`.
 */
export const resnet = visionArchitecture({
  family: "resnet",
  modelTypes: ["resnet"],
  tapLayout: "feature-map",
  poolings: ["global-average"],
  tapName: blockTapName(
    /^\/resnet\/encoder\/stages\.(\d+)\/layers\/layers\.(\d+)\//,
    (s, b) => `stage ${s} block ${b}`,
  ),
});
