/**
 * `@sidenet/text` in the browser (the `browser` export condition): the text-classification pipeline on
 * transformers.js's web build. Artefacts are fetched as transformers.js fetches models; attaching
 * (`attachTextSideNet`) and reading data files are Node-only.
 */
import { remoteArtefact } from "@sidenet/core/hf";
import { textApi } from "./api.js";

export * from "./runtime.js";

export const { pipeline, SideNetForSequenceClassification, registerSideNet, unregisterSideNet } =
  textApi(remoteArtefact);
