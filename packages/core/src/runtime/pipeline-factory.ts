import { pipeline as hfPipeline } from "@huggingface/transformers";
import { loadPreprocessing } from "./preprocessing.js";
import type { OpenArtefact } from "./register.js";
import { type LoadSideNetOptions, SideNetModel } from "./sidenet-model.js";

/** What a modality's `pipeline()` needs to answer its task on SideNet artefacts. */
export interface SideNetPipelineSpec {
  /** The tasks the SideNet pipeline answers (aliases included), e.g. `["text-classification", "sentiment-analysis"]`. */
  tasks: readonly string[];
  /** What every load passes to `SideNetModel.load`: the task, the registry, the pre-processor's files. */
  load: Required<Pick<LoadSideNetOptions, "task" | "architectures" | "preprocessing_files">>;
  /** The task's pre-processor, loaded from the artefact after the model has checked its pins. */
  preprocessing: {
    /** Its name in error messages. */
    what: "tokenizer" | "image processor";
    /** The files named when it fails to load (the first one that is missing or corrupt). */
    files: readonly string[];
    /** The pipeline constructor's argument it fills. */
    argument: "tokenizer" | "processor";
    /** transformers.js's loader, e.g. `AutoTokenizer.from_pretrained`. */
    from_pretrained(id: string, options: { revision?: string }): Promise<unknown>;
  };
  /** The SideNet pipeline class, constructed as transformers.js constructs its pipelines. */
  Pipeline: new (
    args: never,
  ) => unknown;
}

/** Options of a SideNet `pipeline()`: transformers.js's, plus the SideNet's load options. */
export type SideNetPipelineOptions = LoadSideNetOptions & Record<string, unknown>;

/** Drop-in for transformers.js's `pipeline()`. */
export type SideNetPipelineFactory = (
  task: string,
  model?: string,
  options?: SideNetPipelineOptions,
) => Promise<unknown>;

/**
 * `pipeline()` for one modality over one way of opening artefacts: one of `spec.tasks` on a SideNet
 * artefact (a model with `sidenet.json`) gives `spec.Pipeline`; anything else goes to transformers.js
 * untouched.
 */
export function sideNetPipeline(open: OpenArtefact, spec: SideNetPipelineSpec): SideNetPipelineFactory {
  return async (task, model, options = {}) => {
    if (spec.tasks.includes(task) && model) {
      const files = open(model, options);
      if (await SideNetModel.isArtefact(files)) {
        // the model first: it checks every pinned file, the pre-processor's included
        const sidenet = await SideNetModel.load(files, { ...options, ...spec.load });
        const { what, files: candidates, argument, from_pretrained } = spec.preprocessing;
        const preprocessor = await loadPreprocessing(sidenet, files, candidates, what, () =>
          from_pretrained(files.id, options.revision ? { revision: options.revision } : {}),
        );
        return new spec.Pipeline({ task: spec.load.task, model: sidenet, [argument]: preprocessor } as never);
      }
    }
    return hfPipeline(task as never, model, options as never);
  };
}
