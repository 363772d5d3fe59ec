import { blockTapName, visionArchitecture } from "./entry.js";

/**
 * DeiT (`model_type: "deit"`): ViT's layers under `/deit/encoder/layer.<i>/`, tokens
 * `[batch, 2 + patches, hidden]` ([CLS], the distillation token, the patches); "cls" pools [CLS],
 * "distilled-patch-mean" averages the patch tokens.
 */
export const deit = visionArchitecture({
  family: "deit",
  modelTypes: ["deit"],
  tapLayout: "sequence",
  poolings: ["cls", "distilled-patch-mean"],
  tapName: blockTapName(/^\/deit\/encoder\/layer\.(\d+)\//, (i) => `layer ${i}`),
});
