import {
  type AttachOptions,
  AutoTokenizer,
  attachSideNet,
  type Evaluation,
  evaluateSideNet,
  type ModalityAdapter,
  type SideNetModel,
  type TensorMap,
} from "@sidenet/core/hf";
import type { TextRow } from "./data.js";
import { textPoolingSpec } from "./exits.js";
import { type TextPooling, textPoolingGraph } from "./pooling.js";

type Tokenizer = (texts: string[], o: { padding: boolean; truncation: boolean }) => TensorMap;

/** The text modality: the MainNet's tokenizer (padding, truncation as the stock pipeline), [CLS] or masked-mean pooling. */
export const textAdapter: ModalityAdapter<string> = {
  ...textPoolingSpec,
  poolingGraph: textPoolingGraph,
  async prepare(dir) {
    const tokenizer = (await AutoTokenizer.from_pretrained(dir)) as Tokenizer;
    return async (texts) => tokenizer(texts, { padding: true, truncation: true });
  },
};

const labelled = (rows: readonly TextRow[]) => ({
  items: rows.map((r) => r.text),
  labels: rows.map((r) => r.label),
});

/** Options of {@link attachTextSideNet}: {@link AttachOptions} with `{text, label}` rows. */
export type AttachTextOptions = Omit<AttachOptions<string>, "train" | "calibration" | "poolings"> & {
  train: readonly TextRow[];
  calibration: readonly TextRow[];
  poolings?: readonly TextPooling[];
};

/**
 * Attaches a SideNet to a BERT-family MainNet (see `attachSideNet` in `@sidenet/core/hf`): heads on
 * `train`, temperature and τ on `calibration` (rows the MainNet never trained on).
 */
export function attachTextSideNet(o: AttachTextOptions) {
  return attachSideNet(textAdapter, { ...o, train: labelled(o.train), calibration: labelled(o.calibration) });
}

/** MainNet vs cascade accuracy, exit rates and calibration of a text SideNet on labelled rows. */
export function evaluateTextSideNet(
  model: SideNetModel,
  dir: string,
  rows: readonly TextRow[],
): Promise<Evaluation> {
  return evaluateSideNet(textAdapter, model, dir, labelled(rows));
}
