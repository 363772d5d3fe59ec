import type { Architecture } from "@sidenet/core/runtime";

/**
 * ResNet (`model_type: "resnet"`, the Hugging Face layout): taps are the blocks' outputs
 * (`/resnet/encoder/stages.<s>/layers/layers.<b>/…`), feature maps `[batch, channels, height, width]`;
 * nothing is carried across cuts. Pre-processing: `ConvNextImageProcessor` through `AutoProcessor`.
 */
export const resnet: Architecture = Object.freeze({
  family: "resnet",
  modelTypes: Object.freeze(["resnet"]),
  task: "image-classification",
  processor: "AutoProcessor",
  tapLayout: "feature-map",
  poolings: Object.freeze(["global-average"] as const),
  tapName: (tap: string) => {
    const m = /stages\.(\d+)\/layers\/layers\.(\d+)\//.exec(tap);
    return m ? `stage ${m[1]} block ${m[2]}` : undefined;
  },
});
