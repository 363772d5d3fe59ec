import { AutoModelForSequenceClassification } from "@huggingface/transformers";
import { type OpenArtefact, sideNetRegistration } from "@sidenet/core/runtime";
import { TEXT_LOAD } from "./load.js";

/** `registerSideNet` / `unregisterSideNet` over one way of opening artefacts. */
export function textRegistration(open: OpenArtefact) {
  return sideNetRegistration(AutoModelForSequenceClassification, TEXT_LOAD, open);
}
