/**
 * The public API both builds share (Node: `index.ts`, browser: `browser.ts`): the pipeline class, pooling
 * and the types. Each entry adds `pipeline`, `SideNetForSequenceClassification` and `registerSideNet`,
 * bound to how it opens artefacts.
 */
export type { TextApi } from "./api.js";
export { textPooling } from "./exits.js";
export type { SideNetTextLoader } from "./load.js";
export type { SideNetPipelineOptions, TextPipelineFactory } from "./pipeline.js";
export type { TextPooling } from "./pooling.js";
export { poolText, TEXT_POOLINGS } from "./pooling.js";
export type { SideNetTextCallOptions, TextClassificationItem, WithTelemetry } from "./text-pipeline.js";
export { SideNetTextClassificationPipeline } from "./text-pipeline.js";
