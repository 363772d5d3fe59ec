import { AutoTokenizer } from "@huggingface/transformers";
import {
  type OpenArtefact,
  type SideNetPipelineFactory,
  type SideNetPipelineOptions,
  sideNetPipeline,
} from "@sidenet/core/runtime";
import { TEXT_LOAD, TOKENIZER_FILES } from "./load.js";
import { SideNetTextClassificationPipeline } from "./text-pipeline.js";

/** Options of {@link pipeline}: transformers.js's, plus the SideNet's τ overrides. */
export type { SideNetPipelineOptions };

/** Drop-in for transformers.js's `pipeline()` (see {@link textPipeline}). */
export type TextPipelineFactory = SideNetPipelineFactory;

/**
 * `pipeline()` over one way of opening artefacts. For `"text-classification"` on a SideNet artefact (a
 * model with `sidenet.json`) it returns a {@link SideNetTextClassificationPipeline}; anything else goes
 * to transformers.js untouched.
 */
export function textPipeline(open: OpenArtefact): TextPipelineFactory {
  return sideNetPipeline(open, {
    tasks: ["text-classification", "sentiment-analysis"],
    load: TEXT_LOAD,
    preprocessing: {
      what: "tokenizer",
      files: TOKENIZER_FILES,
      argument: "tokenizer",
      from_pretrained: (id, options) => AutoTokenizer.from_pretrained(id, options),
    },
    Pipeline: SideNetTextClassificationPipeline,
  });
}
