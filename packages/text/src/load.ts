import { type LoadSideNetOptions, poolingFactoryOf, SideNetModel } from "@sidenet/core/hf";
import { textAdapter } from "./adapter.js";

/** Pooling of text exits (`cls`, `mean`), checked against the artefact. */
export const textPooling = poolingFactoryOf(textAdapter as never);

/**
 * Loads a text SideNet artefact directory as a transformers.js model.
 *
 * @example
 * ```ts
 * const model = await SideNetForSequenceClassification.from_pretrained("./bert-sidenet", { dtype: "q8" });
 * ```
 */
export const SideNetForSequenceClassification = {
  from_pretrained(dir: string, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    return SideNetModel.load(dir, textPooling, options);
  },
};
