import { AutoModelForSequenceClassification, TextClassificationPipeline } from "@huggingface/transformers";
import { type OpenArtefact, sideNetRegistration } from "@sidenet/core/runtime";
import { TEXT_LOAD } from "./load.js";
import { SideNetTextClassificationPipeline } from "./text-pipeline.js";

/**
 * `registerSideNet` / `unregisterSideNet` over one way of opening artefacts: the stock
 * `AutoModelForSequenceClassification` loads SideNet artefacts, and the stock text-classification
 * pipeline answers through {@link SideNetTextClassificationPipeline} on them (so results carry
 * `sidenet` telemetry and take `{ threshold }`).
 */
export function textRegistration(open: OpenArtefact) {
  return sideNetRegistration(AutoModelForSequenceClassification, TEXT_LOAD, open, {
    stock: TextClassificationPipeline,
    sidenet: SideNetTextClassificationPipeline,
  });
}
