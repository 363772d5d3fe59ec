import {
  AutoModelForImageClassification,
  AutoProcessor,
  pipeline as hfPipeline,
} from "@huggingface/transformers";
import { localArtefact } from "@sidenet/core/node";
import { type LoadSideNetOptions, SideNetModel, sideNetRegistration } from "@sidenet/core/runtime";
import { SideNetImageClassificationPipeline } from "./image-pipeline.js";
import { VISION_ARCHITECTURES } from "./models/index.js";

const TASK = "image-classification";
/** What every vision load passes to `SideNetModel.load`: the task and the registry. */
const VISION_LOAD = { task: TASK, architectures: VISION_ARCHITECTURES } as const;

/** Loads a vision SideNet artefact directory as a transformers.js model. */
export const SideNetForImageClassification = {
  /**
   * @example
   * ```ts
   * const model = await SideNetForImageClassification.from_pretrained("./resnet-sidenet", { dtype: "q8" });
   * ```
   */
  from_pretrained(dir: string, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    return SideNetModel.load(localArtefact(dir), { ...options, ...VISION_LOAD });
  },
};

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
  if (task === TASK && model && (await SideNetModel.isArtefact(localArtefact(model)))) {
    const [sidenet, processor] = await Promise.all([
      SideNetForImageClassification.from_pretrained(model, options),
      AutoProcessor.from_pretrained(model),
    ]);
    return new SideNetImageClassificationPipeline({ task, model: sidenet, processor } as never);
  }
  return hfPipeline(task as never, model, options as never);
}

const registration = sideNetRegistration(AutoModelForImageClassification, VISION_LOAD, localArtefact);

/**
 * Opt-in: afterwards the stock `pipeline("image-classification", dir)` of @huggingface/transformers loads
 * SideNet artefact directories (wraps `AutoModelForImageClassification.from_pretrained`); plain models
 * and hub ids are untouched. Returns a function that undoes the patch.
 */
export const registerSideNet: () => () => void = registration.register;

/** Restores the stock `from_pretrained`. */
export const unregisterSideNet: () => void = registration.unregister;
