import { AutoModelForImageClassification } from "@huggingface/transformers";
import { localArtefact, sideNetRegistration } from "@sidenet/core/hf";
import { visionPooling } from "./load.js";

const registration = sideNetRegistration(AutoModelForImageClassification, visionPooling, localArtefact);

/**
 * Opt-in: afterwards the stock `pipeline("image-classification", dir)` of @huggingface/transformers loads
 * SideNet artefact directories (wraps `AutoModelForImageClassification.from_pretrained`); plain models
 * and hub ids are untouched. Returns a function that undoes the patch.
 */
export const registerSideNet: () => () => void = registration.register;

/** Restores the stock `from_pretrained`. */
export const unregisterSideNet: () => void = registration.unregister;
