import {
  AutoModelForImageClassification,
  AutoProcessor,
  ImageClassificationPipeline,
} from "@huggingface/transformers";
import {
  type LoadSideNetOptions,
  type OpenArtefact,
  SideNetModel,
  type SideNetPipelineFactory,
  sideNetPipeline,
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

/** `SideNetForImageClassification`: loads a vision SideNet artefact as a transformers.js model. */
export interface SideNetVisionLoader {
  /**
   * Loads the artefact at `id` (a local directory or hub id in Node; a model id or path fetched like
   * transformers.js fetches models in the browser).
   *
   * @example
   * ```ts
   * const model = await SideNetForImageClassification.from_pretrained("./resnet-sidenet", { dtype: "q8" });
   * ```
   */
  from_pretrained(id: string, options?: LoadSideNetOptions): Promise<SideNetModel>;
}

/** The loading API of @sidenet/vision, bound to how an entry point opens artefacts. */
export interface VisionApi {
  /**
   * Drop-in for transformers.js's `pipeline()`: `"image-classification"` on a SideNet artefact gives a
   * {@link SideNetImageClassificationPipeline}; anything else goes to transformers.js untouched.
   *
   * @example
   * ```ts
   * const classify = await pipeline("image-classification", "./resnet-sidenet");
   * await classify("shoe.png", { top_k: 1 }); // [{ label: "Sneaker", score: 0.97 }]
   * ```
   */
  pipeline: SideNetPipelineFactory;
  /** Loads a vision SideNet artefact as a transformers.js model. */
  SideNetForImageClassification: SideNetVisionLoader;
  /**
   * Opt-in: afterwards the stock `pipeline("image-classification", id)` of @huggingface/transformers loads
   * SideNet artefacts (wraps `AutoModelForImageClassification.from_pretrained`); plain models and hub ids
   * are untouched. Returns a function that undoes the patch.
   */
  registerSideNet: () => () => void;
  /** Restores the stock `from_pretrained`. */
  unregisterSideNet: () => void;
}

/** {@link VisionApi} over `open` (local directories and hub ids in Node, fetched files in the browser). */
export function visionApi(open: OpenArtefact): VisionApi {
  // the stock pipeline answers through the SideNet one on SideNet models (results carry telemetry)
  const { register, unregister } = sideNetRegistration(AutoModelForImageClassification, VISION_LOAD, open, {
    stock: ImageClassificationPipeline,
    sidenet: SideNetImageClassificationPipeline,
  });
  return {
    pipeline: sideNetPipeline(open, {
      tasks: [TASK],
      load: VISION_LOAD,
      preprocessing: {
        what: "image processor",
        files: [...PROCESSOR_FILES, "config.json"],
        argument: "processor",
        from_pretrained: (id, options) => AutoProcessor.from_pretrained(id, options),
      },
      Pipeline: SideNetImageClassificationPipeline,
    }),
    SideNetForImageClassification: {
      from_pretrained: (id, options = {}) =>
        SideNetModel.load(open(id, options), { ...options, ...VISION_LOAD }),
    },
    registerSideNet: register,
    unregisterSideNet: unregister,
  };
}
