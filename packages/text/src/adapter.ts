import { AutoTokenizer } from "@huggingface/transformers";
import {
  type AttachOptions,
  attachSideNet,
  type Evaluation,
  evaluateSideNet,
  type ModalityAdapter,
} from "@sidenet/core/attach";
import { pretrainedPath } from "@sidenet/core/node";
import type { SideNetModel, TensorMap } from "@sidenet/core/runtime";
import type { TextRow } from "./data.js";
import { TEXT_ARCHITECTURES } from "./models/index.js";

type Tokenizer = (texts: string[], o: { padding: boolean; truncation: boolean }) => TensorMap;

/** Loads the MainNet's tokenizer: texts → model inputs, padded and truncated as the stock pipeline does. */
async function prepareText(dir: string): Promise<(texts: string[]) => Promise<TensorMap>> {
  const tokenizer = (await AutoTokenizer.from_pretrained(pretrainedPath(dir))) as unknown as Tokenizer;
  return async (texts) => tokenizer(texts, { padding: true, truncation: true });
}

/** The text modality: its registry and the MainNet's tokenizer. */
export const textAdapter: ModalityAdapter<string> = {
  task: "text-classification",
  architectures: TEXT_ARCHITECTURES,
  prepare: prepareText,
  itemKey: async (text) => text,
};

const labelled = (rows: readonly TextRow[]) => ({
  items: rows.map((r) => r.text),
  labels: rows.map((r) => r.label),
  where: (i: number) => rows[i]?.at ?? `row ${i + 1}`,
});

/** Options of {@link attachTextSideNet}: {@link AttachOptions} with `{text, label}` rows. */
export type AttachTextOptions = Omit<AttachOptions<string>, "train" | "calibration"> & {
  train: readonly TextRow[];
  calibration: readonly TextRow[];
};

/**
 * Attaches a SideNet to a text-classification MainNet of a supported family (see `attachSideNet` in
 * `@sidenet/core/attach`): heads on `train`, temperature and τ on `calibration` (rows the MainNet never
 * trained on).
 *
 * @example
 * ```ts
 * const { manifest } = await attachTextSideNet({ mainnet: "./bert", train, calibration, out: "./bert-sidenet" });
 * manifest.exits[0]; // { tap: "/bert/encoder/layer.0/…", pooling: "mean", threshold: 0.51, … }
 * ```
 */
export function attachTextSideNet(o: AttachTextOptions) {
  return attachSideNet(textAdapter, { ...o, train: labelled(o.train), calibration: labelled(o.calibration) });
}

/** MainNet vs cascade accuracy, exit rates and calibration of a text SideNet on labelled rows. */
export async function evaluateTextSideNet(
  model: SideNetModel,
  dir: string,
  rows: readonly TextRow[],
  batchSize = 32,
): Promise<Evaluation> {
  return evaluateSideNet(model, await prepareText(dir), labelled(rows), batchSize);
}
