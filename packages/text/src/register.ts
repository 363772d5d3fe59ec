import { AutoModelForSequenceClassification } from "@huggingface/transformers";
import { sideNetRegistration } from "@sidenet/core/hf";
import { textPooling } from "./load.js";

const registration = sideNetRegistration(AutoModelForSequenceClassification, textPooling);

/**
 * Opt-in: afterwards the stock `pipeline("text-classification", dir)` of @huggingface/transformers loads
 * SideNet artefact directories (wraps `AutoModelForSequenceClassification.from_pretrained`); plain model
 * directories and hub ids behave exactly as before. Returns a function that undoes the patch.
 */
export const registerSideNet: () => () => void = registration.register;

/** Restores the stock `from_pretrained`. */
export const unregisterSideNet: () => void = registration.unregister;
