import type { OpenArtefact } from "@sidenet/core/runtime";
import { type SideNetTextLoader, textLoader } from "./load.js";
import { type TextPipelineFactory, textPipeline } from "./pipeline.js";
import { textRegistration } from "./register.js";

/** The loading API of @sidenet/text, bound to how an entry point opens artefacts. */
export interface TextApi {
  /**
   * Drop-in for transformers.js's `pipeline()`. For `"text-classification"` on a SideNet artefact it
   * returns a `SideNetTextClassificationPipeline`; anything else goes to transformers.js untouched. In
   * Node the artefact is a local directory; in the browser a model id or path, fetched as transformers.js
   * fetches models (`env.localModelPath`, `env.remoteHost`).
   *
   * @example
   * ```ts
   * import { pipeline } from "@sidenet/text";
   * const classify = await pipeline("text-classification", "./bert-sidenet");
   * await classify("Buy cheap meds now!!!"); // [{ label: "spam", score: 0.99 }]
   * ```
   */
  pipeline: TextPipelineFactory;
  /** Loads a text SideNet artefact as a transformers.js model. */
  SideNetForSequenceClassification: SideNetTextLoader;
  /**
   * Opt-in: afterwards the stock `pipeline("text-classification", id)` of @huggingface/transformers loads
   * SideNet artefacts (wraps `AutoModelForSequenceClassification.from_pretrained`); plain models behave
   * exactly as before. Returns a function that undoes the patch.
   */
  registerSideNet: () => () => void;
  /** Restores the stock `from_pretrained`. */
  unregisterSideNet: () => void;
}

/** {@link TextApi} over `open`. */
export function textApi(open: OpenArtefact): TextApi {
  const { register, unregister } = textRegistration(open);
  return {
    pipeline: textPipeline(open),
    SideNetForSequenceClassification: textLoader(open),
    registerSideNet: register,
    unregisterSideNet: unregister,
  };
}
