import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * ViT (`model_type: "vit"`): taps are the pre-norm layers' outputs (`/vit/encoder/layer.<i>/output/Add`),
 * tokens `[batch, 1 + patches, hidden]`; "cls" pools the [CLS] token (what the classifier reads),
 * "patch-mean" averages the patch tokens.
 */
export const vit = visionArchitecture({
  family: "vit",
  modelTypes: ["vit"],
  tapLayout: "sequence",
  poolings: ["cls", "patch-mean"],
  tapName: blockTapName(/^\/vit\/encoder\/layer\.(\d+)\//, (i) => `layer ${i}`),
});
