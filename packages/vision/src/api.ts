import {
  AutoModelForImageClassification,
  AutoProcessor,
  pipeline as hfPipeline,
  ImageClassificationPipeline,
} from "@huggingface/transformers";
import { openArtefact } from "@sidenet/core/node";
import {
  type LoadSideNetOptions,
  loadPreprocessing,
  SideNetModel,
  sideNetRegistration,
} from "@sidenet/core/runtime";
import { SideNetImageClassificationPipeline } from "./image-pipeline.js";
import { VISION_ARCHITECTURES } from "./models/index.js";

const TASK = "image-classification";
/** The files transformers.js's AutoProcessor reads for an image classifier (checked against their pins). */
const PROCESSOR_FILES = ["preprocessor_config.json"] as const;
/** What every vision load passes to `SideNetModel.load`: the task, the registry, the processor's files. */
const VISION_LOAD = {
  task: TASK,
  architectures: VISION_ARCHITECTURES,
  preprocessing_files: PROCESSOR_FILES,
} as const;

/** Loads a vision SideNet artefact (a local directory, or a hub id in Node and the browser) as a transformers.js model. */
export const SideNetForImageClassification = {
  /**
   * @example
   * ```ts
   * const model = await SideNetForImageClassification.from_pretrained("./resnet-sidenet", { dtype: "q8" });
   * ```
   */
  from_pretrained(dir: string, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    return SideNetModel.load(openArtefact(dir, options), { ...options, ...VISION_LOAD });
  },
};

/**
 * Drop-in for transformers.js's `pipeline()`: `"image-classification"` on a SideNet artefact (a local
 * directory, or a hub id found as transformers.js finds models) gives a
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
  const files = model ? openArtefact(model, options) : undefined;
  if (task === TASK && model && files && (await SideNetModel.isArtefact(files))) {
    // the model first: it checks every pinned file, the processor's included
    const sidenet = await SideNetModel.load(files, { ...options, ...VISION_LOAD });
    const processor = await loadPreprocessing(
      sidenet,
      files,
      [...PROCESSOR_FILES, "config.json"],
      "image processor",
      () => AutoProcessor.from_pretrained(files.id, options.revision ? { revision: options.revision } : {}),
    );
    return new SideNetImageClassificationPipeline({ task, model: sidenet, processor } as never);
  }
  return hfPipeline(task as never, model, options as never);
}

// the stock pipeline answers through the SideNet one on SideNet models (results carry telemetry)
const registration = sideNetRegistration(AutoModelForImageClassification, VISION_LOAD, openArtefact, {
  stock: ImageClassificationPipeline,
  sidenet: SideNetImageClassificationPipeline,
});

/**
 * Opt-in: afterwards the stock `pipeline("image-classification", dir)` of @huggingface/transformers loads
 * SideNet artefact directories (wraps `AutoModelForImageClassification.from_pretrained`); plain models
 * and hub ids are untouched. Returns a function that undoes the patch.
 */
export const registerSideNet: () => () => void = registration.register;

/** Restores the stock `from_pretrained`. */
export const unregisterSideNet: () => void = registration.unregister;
