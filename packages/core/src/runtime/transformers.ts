/**
 * The narrow, typed view of @huggingface/transformers that sidenet uses. transformers.js is JSDoc-typed
 * JavaScript; its declarations are loose, so the boundary is cast once, here.
 * @internal
 */
import * as tf from "@huggingface/transformers";
import type { TypedArray } from "../runtime/tensor.js";

export interface HfTensor {
  readonly type: string;
  readonly data: TypedArray;
  readonly dims: number[];
  dispose(): void;
}

export type TensorMap = Record<string, HfTensor>;

/** A loaded transformers.js model: callable on named tensors. */
export interface HfModel {
  (inputs: TensorMap): Promise<TensorMap>;
  config: Record<string, unknown> & { id2label?: Record<string, string>; model_type?: string };
  dispose(): Promise<unknown>;
}

interface PretrainedOptions {
  dtype?: string;
  device?: string;
  model_file_name?: string;
  session_options?: Record<string, unknown>;
  config?: unknown;
  [k: string]: unknown;
}

export const Tensor = tf.Tensor as unknown as new (
  type: string,
  data: TypedArray,
  dims: number[],
) => HfTensor;
export const PreTrainedModel = tf.PreTrainedModel;

/** transformers.js's settings (the fields sidenet reads to fetch files as transformers.js does). */
export const env = tf.env as unknown as {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  localModelPath: string;
  remoteHost: string;
  remotePathTemplate: string;
  useFSCache: boolean;
  cacheDir: string | null;
  fetch: (url: string, init?: unknown) => Promise<unknown>;
  /** transformers.js's own version. */
  version: string;
};
export const SequenceClassifierOutput = tf.SequenceClassifierOutput as unknown as new (o: {
  logits: HfTensor;
}) => {
  logits: HfTensor;
};

export const AutoModel = tf.AutoModel as unknown as {
  from_pretrained(id: string, o?: PretrainedOptions): Promise<HfModel>;
};

/**
 * ORT session options sidenet uses by default: ORT's own thread spinning (as the stock pipeline has it,
 * the fastest at batch 1), but spinning stops when a run ends, so the idle pool of one segment does not
 * compete for cores with the next segment's (`pnpm bench`: spinning off cost 27 % at batch 1 with every
 * exit off; spinning left on slowed split ResNet runs by up to 20 %).
 */
export const DEFAULT_SESSION_OPTIONS = {
  extra: { session: { force_spinning_stop: "1" } },
};

/** A download event of transformers.js's `progress_callback`. */
export interface HfProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

export const AutoConfig = tf.AutoConfig as unknown as {
  from_pretrained(id: string, o?: PretrainedOptions): Promise<Record<string, unknown>>;
};

/** transformers.js's `pipeline()`, as sidenet calls it to download a model into its cache. */
export const hfPipeline = tf.pipeline as unknown as (
  task: string,
  id: string,
  o?: PretrainedOptions,
) => Promise<{ dispose(): Promise<unknown> }>;

export const ModelRegistry = tf.ModelRegistry as unknown as {
  get_available_dtypes(id: string, o?: { revision?: string; cache_dir?: string }): Promise<string[]>;
};
