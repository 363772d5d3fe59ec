import type { Architecture, SideNetTask } from "../models/architecture.js";
import type { TensorMap } from "../runtime/transformers.js";

/**
 * What a modality package tells the shared attach machinery: its task, its frozen registry of
 * architectures, and how a batch of items becomes model inputs (tokenizer, image processor). Everything
 * else — feature extraction, poolings (by tap layout), head training, calibration, τ choice, the
 * artefact, the cascade — is shared.
 */
export interface ModalityAdapter<Item> {
  readonly task: SideNetTask;
  readonly architectures: readonly Architecture[];
  /** Loads the MainNet's pre-processing and returns a function from items to model inputs. */
  prepare(mainnetDir: string): Promise<(items: Item[]) => Promise<TensorMap>>;
  /**
   * The content an item's features depend on, for attach's cache key (`AttachOptions.attachCache`): a text
   * itself, an image file's bytes rather than its path. Without it attach does not cache features.
   */
  itemKey?(item: Item): Promise<string | Uint8Array>;
}
