import { AutoModelForSequenceClassification } from "@huggingface/transformers";
import { type OpenArtefact, sideNetRegistration } from "@sidenet/core/hf";
import { textPooling } from "./exits.js";

/** `registerSideNet` / `unregisterSideNet` over one way of opening artefacts. */
export function textRegistration(open: OpenArtefact) {
  return sideNetRegistration(AutoModelForSequenceClassification, textPooling, open);
}
