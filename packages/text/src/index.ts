/**
 * `@sidenet/text` (Node): attach SideNets to text-classification MainNets and load local artefact
 * directories. The browser build (`./browser.ts`) has the same runtime API over fetched artefacts.
 */
import { openArtefact } from "@sidenet/core/node";
import { textApi } from "./api.js";

export type { AttachTextOptions } from "./adapter.js";
export { attachTextSideNet, evaluateTextSideNet, textAdapter } from "./adapter.js";
export type { TextApi } from "./api.js";
export type { TextColumns, TextRow } from "./data.js";
export { readTextData, readTextJsonl } from "./data.js";
export type { SideNetTextLoader } from "./load.js";
export { TEXT_ARCHITECTURES } from "./models/index.js";
export type { SideNetPipelineOptions, TextPipelineFactory } from "./pipeline.js";
export type { SideNetTextCallOptions, TextClassificationItem, WithTelemetry } from "./text-pipeline.js";
export { SideNetTextClassificationPipeline } from "./text-pipeline.js";

export const { pipeline, SideNetForSequenceClassification, registerSideNet, unregisterSideNet } =
  textApi(openArtefact);
