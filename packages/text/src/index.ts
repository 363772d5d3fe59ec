/**
 * `@sidenet/text` (Node): attach SideNets to BERT-family MainNets and load local artefact directories.
 * The browser build (`./browser.ts`) has the same runtime API over fetched artefacts.
 */
import { localArtefact } from "@sidenet/core/hf";
import { textApi } from "./api.js";

export type { AttachTextOptions } from "./adapter.js";
export { attachTextSideNet, evaluateTextSideNet, textAdapter } from "./adapter.js";
export type { TextRow } from "./data.js";
export { readTextJsonl } from "./data.js";
export * from "./runtime.js";

export const { pipeline, SideNetForSequenceClassification, registerSideNet, unregisterSideNet } =
  textApi(localArtefact);
