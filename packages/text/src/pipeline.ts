import { AutoTokenizer, pipeline as hfPipeline } from "@huggingface/transformers";
import {
  type LoadSideNetOptions,
  loadPreprocessing,
  type OpenArtefact,
  SideNetModel,
} from "@sidenet/core/runtime";
import { TEXT_LOAD, TOKENIZER_FILES } from "./load.js";
import { SideNetTextClassificationPipeline } from "./text-pipeline.js";

/** Options of {@link pipeline}: transformers.js's, plus the SideNet's τ overrides. */
export type SideNetPipelineOptions = LoadSideNetOptions & Record<string, unknown>;

/** Drop-in for transformers.js's `pipeline()` (see {@link textPipeline}). */
export type TextPipelineFactory = (
  task: string,
  model?: string,
  options?: SideNetPipelineOptions,
) => Promise<unknown>;

/**
 * `pipeline()` over one way of opening artefacts. For `"text-classification"` on a SideNet artefact (a
 * model with `sidenet.json`) it returns a {@link SideNetTextClassificationPipeline}; anything else goes
 * to transformers.js untouched.
 */
export function textPipeline(open: OpenArtefact): TextPipelineFactory {
  return async (task, model, options = {}) => {
    if ((task === "text-classification" || task === "sentiment-analysis") && model) {
      const files = open(model, options);
      if (await SideNetModel.isArtefact(files)) {
        // the model first: it checks every pinned file, tokenizer files included
        const sidenet = await SideNetModel.load(files, { ...options, ...TEXT_LOAD });
        const tokenizer = await loadPreprocessing(sidenet, files, TOKENIZER_FILES, "tokenizer", () =>
          AutoTokenizer.from_pretrained(files.id, options.revision ? { revision: options.revision } : {}),
        );
        return new SideNetTextClassificationPipeline({
          task: "text-classification",
          model: sidenet,
          tokenizer,
        } as never);
      }
    }
    return hfPipeline(task as never, model, options as never);
  };
}
