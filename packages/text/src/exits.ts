import { type PoolingSpec, poolingFactoryOf } from "@sidenet/core/hf";
import { poolText, TEXT_POOLINGS, type TextPooling } from "./pooling.js";

/** How text exits pool their tap: [CLS] or masked mean (the latter reads `attention_mask`). */
export const textPoolingSpec: PoolingSpec = {
  task: "text-classification",
  poolings: TEXT_POOLINGS,
  pool: (state, tap, pooling) => poolText(state[tap]!, state.attention_mask, pooling as TextPooling),
  poolingInputs: (pooling) => (pooling === "mean" ? ["attention_mask"] : []),
};

/** Pooling of text exits (`cls`, `mean`), checked against the artefact. */
export const textPooling = poolingFactoryOf(textPoolingSpec);
