/**
 * `@sidenet/core/hf`: the transformers.js glue shared by @sidenet/text and @sidenet/vision (segment
 * sessions, the SideNet `PreTrainedModel`, feature extraction, attach and evaluate over a
 * {@link ModalityAdapter}). A separate entry point, so `@sidenet/core` itself never loads transformers.js.
 */
export type { ModalityAdapter } from "./adapter.js";
export { poolingFactoryOf } from "./adapter.js";
export type { AttachOptions, AttachResult, LabelledItems } from "./attach.js";
export { attachSideNet } from "./attach.js";
export type { CandidateReport, TrainedCandidates } from "./candidates.js";
export { labelIds, trainCandidates } from "./candidates.js";
export type { Evaluation } from "./evaluate.js";
export { evaluateSideNet } from "./evaluate.js";
export type { Features } from "./features.js";
export { extractFeatures } from "./features.js";
export { measureFlops } from "./flops.js";
export { sideNetRegistration } from "./register.js";
export type {
  ExitTelemetry,
  LoadSideNetOptions,
  PoolingFactory,
  RunSideNetOptions,
} from "./sidenet-model.js";
export { SideNetModel, telemetryOf, withTelemetry } from "./sidenet-model.js";
export type { HfModel, HfTensor, PretrainedOptions, TensorMap } from "./transformers.js";
export {
  AutoConfig,
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  DEFAULT_SESSION_OPTIONS,
  Tensor,
} from "./transformers.js";
