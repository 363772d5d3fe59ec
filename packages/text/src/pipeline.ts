import { AutoTokenizer, pipeline as hfPipeline } from "@huggingface/transformers";
import { type LoadSideNetOptions, SideNetModel } from "@sidenet/core/hf";
import { SideNetForSequenceClassification } from "./load.js";
import { SideNetTextClassificationPipeline } from "./text-pipeline.js";

/** Options of {@link pipeline}: transformers.js's, plus the SideNet's τ overrides. */
export type SideNetPipelineOptions = LoadSideNetOptions & Record<string, unknown>;

/**
 * Drop-in for transformers.js's `pipeline()`. For `"text-classification"` on a local SideNet artefact
 * (a directory with `sidenet.json`) it returns a {@link SideNetTextClassificationPipeline}; anything else
 * goes to transformers.js untouched.
 *
 * @example
 * ```ts
 * import { pipeline } from "@sidenet/text";
 * const classify = await pipeline("text-classification", "./bert-sidenet");
 * await classify("Buy cheap meds now!!!"); // [{ label: "spam", score: 0.99 }]
 * ```
 */
export async function pipeline(task: string, model?: string, options: SideNetPipelineOptions = {}) {
  if (
    (task === "text-classification" || task === "sentiment-analysis") &&
    model &&
    SideNetModel.isArtefact(model)
  ) {
    const [sidenet, tokenizer] = await Promise.all([
      SideNetForSequenceClassification.from_pretrained(model, options),
      AutoTokenizer.from_pretrained(model),
    ]);
    return new SideNetTextClassificationPipeline({
      task: "text-classification",
      model: sidenet,
      tokenizer,
    } as never);
  }
  return hfPipeline(task as never, model, options as never);
}
