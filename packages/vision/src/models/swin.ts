import { blockTapName, visionArchitecture } from "./entry.js";

const block = blockTapName(
  /^\/swin\/encoder\/layers\.(\d+)\/blocks\.(\d+)\//,
  (s, b) => `stage ${s} block ${b}`,
);
const merged = blockTapName(/^\/swin\/encoder\/layers\.(\d+)\/downsample\//, (s) => `stage ${s} merged`);

/**
 * Swin (`model_type: "swin"`): taps are the window-attention blocks' outputs
 * (`/swin/encoder/layers.<s>/blocks.<b>/…`) and each stage's patch-merging output, tokens
 * `[batch, height × width, channels]` with no [CLS]: "token-mean" averages them, as Swin's pooler does.
 */
export const swin = visionArchitecture({
  family: "swin",
  modelTypes: ["swin"],
  tapLayout: "sequence",
  poolings: ["token-mean"],
  tapName: (tap) => block(tap) ?? merged(tap),
});
