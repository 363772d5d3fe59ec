import { AutoProcessor, pipeline as hfPipeline } from "@huggingface/transformers";
import { type LoadSideNetOptions, localArtefact, SideNetModel } from "@sidenet/core/hf";
import { SideNetImageClassificationPipeline } from "./image-pipeline.js";
import { SideNetForImageClassification } from "./load.js";

/**
 * Drop-in for transformers.js's `pipeline()`: `"image-classification"` on a local SideNet artefact gives a
 * {@link SideNetImageClassificationPipeline}; anything else goes to transformers.js untouched.
 *
 * @example
 * ```ts
 * const classify = await pipeline("image-classification", "./resnet-sidenet");
 * await classify("shoe.png", { top_k: 1 }); // [{ label: "Sneaker", score: 0.97 }]
 * ```
 */
export async function pipeline(
  task: string,
  model?: string,
  options: LoadSideNetOptions & Record<string, unknown> = {},
) {
  if (task === "image-classification" && model && (await SideNetModel.isArtefact(localArtefact(model)))) {
    const [sidenet, processor] = await Promise.all([
      SideNetForImageClassification.from_pretrained(model, options),
      AutoProcessor.from_pretrained(model),
    ]);
    return new SideNetImageClassificationPipeline({ task, model: sidenet, processor } as never);
  }
  return hfPipeline(task as never, model, options as never);
}
