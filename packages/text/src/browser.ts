/**
 * `@sidenet/text` in the browser (the `browser` export condition): the text-classification pipeline on
 * transformers.js's web build. Artefacts are fetched as transformers.js fetches models; attaching
 * (`attachTextSideNet`) and reading data files are Node-only.
 */
import { remoteArtefact } from "@sidenet/core/runtime";
import { textApi } from "./api.js";

export type { TextApi } from "./api.js";
export type { SideNetTextLoader } from "./load.js";
export { TEXT_ARCHITECTURES } from "./models/index.js";
export type { SideNetPipelineOptions, TextPipelineFactory } from "./pipeline.js";
export type { SideNetTextCallOptions, TextClassificationItem, WithTelemetry } from "./text-pipeline.js";
export { SideNetTextClassificationPipeline } from "./text-pipeline.js";

export const { pipeline, SideNetForSequenceClassification, registerSideNet, unregisterSideNet } =
  textApi(remoteArtefact);
