import { AutoModelForSequenceClassification } from "@huggingface/transformers";
import { SideNetModel } from "@sidenet/core/hf";
import { textPooling } from "./load.js";

type FromPretrained = (id: string, options?: Record<string, unknown>) => Promise<unknown>;
const target = AutoModelForSequenceClassification as unknown as { from_pretrained: FromPretrained };
let original: FromPretrained | undefined;

/**
 * Opt-in: afterwards the stock `pipeline("text-classification", dir)` of @huggingface/transformers loads
 * SideNet artefact directories (transformers.js has no model registry, so this wraps
 * `AutoModelForSequenceClassification.from_pretrained`). Plain model directories and hub ids behave
 * exactly as before. Returns a function that undoes the patch.
 */
export function registerSideNet(): () => void {
  if (!original) {
    const stock = target.from_pretrained;
    original = stock;
    target.from_pretrained = function (this: unknown, id: string, options?: Record<string, unknown>) {
      if (typeof id === "string" && SideNetModel.isArtefact(id))
        return SideNetModel.load(id, textPooling, options ?? {});
      return stock.call(this, id, options);
    };
  }
  return unregisterSideNet;
}

/** Restores the stock `from_pretrained`. */
export function unregisterSideNet(): void {
  if (original) {
    target.from_pretrained = original;
    original = undefined;
  }
}
