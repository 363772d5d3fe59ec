import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * ConvNeXt (`model_type: "convnext"`): taps are the blocks' residual outputs
 * (`/convnext/encoder/stages.<s>/layers/layers.<b>/Add`), feature maps `[batch, channels, height, width]`
 * (each block permutes to channels-last and back inside itself); a stage's downsampling layers are not taps.
 */
export const convnext = visionArchitecture({
  family: "convnext",
  modelTypes: ["convnext"],
  tapLayout: "feature-map",
  poolings: ["global-average"],
  tapName: blockTapName(
    /^\/convnext\/encoder\/stages\.(\d+)\/layers\/layers\.(\d+)\//,
    (s, b) => `stage ${s} block ${b}`,
  ),
});
