import type { ExitSpec } from "../artefact/format.js";
import { InvalidArgumentError } from "../errors.js";
import type { Matrix } from "../math/matrix.js";
import type { PoolingGraphFactory } from "../onnx/fold-head.js";
import type { PoolingFactory } from "./sidenet-model.js";
import type { TensorMap } from "./transformers.js";

/**
 * What a modality package tells the shared machinery: its task, how a batch of items becomes model
 * inputs (tokenizer, image processor), and how a tap is pooled. Everything else — feature extraction,
 * head training, calibration, τ choice, the artefact, the cascade — is shared.
 */
export interface ModalityAdapter<Item> {
  task: string;
  poolings: readonly string[];
  /** Loads the MainNet's pre-processing and returns a function from items to model inputs. */
  prepare(mainnetDir: string): Promise<(items: Item[]) => Promise<TensorMap>>;
  /** `[rows, hidden]` features of a tap under a pooling. */
  pool(state: TensorMap, tap: string, pooling: string): Matrix;
  /** Inputs a pooling reads besides its tap (e.g. `attention_mask`). */
  poolingInputs(pooling: string): readonly string[];
  /**
   * The pooling as ONNX nodes (optional): attach then folds each exit's pooling and head into the
   * segment graph that ends at its tap, so the cascade reads the exit's logits from that session call.
   */
  poolingGraph?: PoolingGraphFactory;
}

/** The part of a {@link ModalityAdapter} that loading and running an artefact needs (no pre-processing). */
export type PoolingSpec = Pick<ModalityAdapter<unknown>, "task" | "poolings" | "pool" | "poolingInputs">;

/** The {@link PoolingFactory} of an adapter, checking the pooling name an artefact asks for. */
export function poolingFactoryOf(adapter: PoolingSpec): PoolingFactory {
  return (exit: ExitSpec) => {
    if (!adapter.poolings.includes(exit.pooling)) {
      throw new InvalidArgumentError(
        `sidenet.json: exit at "${exit.tap}" has pooling "${exit.pooling}"; ${adapter.task} exits pool with ${adapter.poolings.join(" or ")}.`,
      );
    }
    return {
      inputs: adapter.poolingInputs(exit.pooling),
      pool: (state) => adapter.pool(state, exit.tap, exit.pooling),
    };
  };
}
