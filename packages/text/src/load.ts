import type { ExitSpec } from "@sidenet/core";
import { InvalidArgumentError } from "@sidenet/core";
import { type LoadSideNetOptions, type PoolingFactory, SideNetModel } from "@sidenet/core/hf";
import { poolText, TEXT_POOLINGS, type TextPooling } from "./pooling.js";

/** Pooling of BERT-family exits: `cls` or masked `mean` over tokens. */
export const textPooling: PoolingFactory = (exit: ExitSpec) => {
  if (!(TEXT_POOLINGS as readonly string[]).includes(exit.pooling)) {
    throw new InvalidArgumentError(
      `sidenet.json: exit at "${exit.tap}" has pooling "${exit.pooling}"; text exits pool with ${TEXT_POOLINGS.join(" or ")}.`,
    );
  }
  const pooling = exit.pooling as TextPooling;
  return {
    inputs: pooling === "mean" ? ["attention_mask"] : [],
    pool: (state) => poolText(state[exit.tap]!, state.attention_mask, pooling),
  };
};

/**
 * Loads a text SideNet artefact directory as a transformers.js model.
 *
 * @example
 * ```ts
 * const model = await SideNetForSequenceClassification.from_pretrained("./bert-sidenet", { dtype: "q8" });
 * ```
 */
export const SideNetForSequenceClassification = {
  from_pretrained(dir: string, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    return SideNetModel.load(dir, textPooling, options);
  },
};
