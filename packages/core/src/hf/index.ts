/**
 * `@sidenet/core/hf`: the transformers.js glue shared by @sidenet/text and @sidenet/vision (segment
 * sessions, the SideNet `PreTrainedModel`). A separate entry point, so `@sidenet/core` itself never
 * loads transformers.js.
 */
export type { ExitTelemetry, LoadSideNetOptions, PoolingFactory } from "./sidenet-model.js";
export { SideNetModel, telemetryOf } from "./sidenet-model.js";
export type { HfModel, HfTensor, PretrainedOptions, TensorMap } from "./transformers.js";
export {
  AutoConfig,
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  DEFAULT_SESSION_OPTIONS,
  Tensor,
} from "./transformers.js";
