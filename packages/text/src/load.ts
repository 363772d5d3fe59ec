import { type LoadSideNetOptions, type OpenArtefact, SideNetModel } from "@sidenet/core/runtime";
import { TEXT_ARCHITECTURES } from "./models/index.js";

/** The files transformers.js's AutoTokenizer reads (checked against their pins, named in errors). */
export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json"] as const;

/** What every text load passes to `SideNetModel.load`: the task, the registry, the tokenizer's files. */
export const TEXT_LOAD = {
  task: "text-classification",
  architectures: TEXT_ARCHITECTURES,
  preprocessing_files: TOKENIZER_FILES,
} as const;

/** `SideNetForSequenceClassification`: loads a text SideNet artefact as a transformers.js model. */
export interface SideNetTextLoader {
  /**
   * Loads the artefact at `id` (a local directory in Node; a model id or path fetched like transformers.js
   * fetches models in the browser).
   *
   * @example
   * ```ts
   * const model = await SideNetForSequenceClassification.from_pretrained("./bert-sidenet", { dtype: "q8" });
   * ```
   */
  from_pretrained(id: string, options?: LoadSideNetOptions): Promise<SideNetModel>;
}

/** The loader over one way of opening artefacts (local directories, or fetched files). */
export function textLoader(open: OpenArtefact): SideNetTextLoader {
  return {
    from_pretrained: (id, options = {}) => SideNetModel.load(open(id, options), { ...options, ...TEXT_LOAD }),
  };
}
