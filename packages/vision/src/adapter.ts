import { AutoProcessor, RawImage } from "@huggingface/transformers";
import {
  type AttachOptions,
  attachSideNet,
  type Evaluation,
  evaluateSideNet,
  type ModalityAdapter,
  type SideNetModel,
  type TensorMap,
} from "@sidenet/core/hf";
import type { ImageRow } from "./data.js";
import { globalAveragePool, VISION_POOLINGS, type VisionPooling, visionPoolingGraph } from "./pooling.js";

type Processor = (images: unknown[]) => Promise<TensorMap>;

/** The vision modality: the MainNet's own image processor, global average pooling of stage outputs. */
export const visionAdapter: ModalityAdapter<string> = {
  task: "image-classification",
  poolings: VISION_POOLINGS,
  async prepare(dir) {
    const processor = (await AutoProcessor.from_pretrained(dir)) as unknown as Processor;
    return async (images) => {
      const { pixel_values } = await processor(await Promise.all(images.map((x) => RawImage.read(x))));
      return { pixel_values: pixel_values! };
    };
  },
  pool: (state, tap) => globalAveragePool(state[tap]!),
  poolingInputs: () => [],
  poolingGraph: visionPoolingGraph,
};

const labelled = (rows: readonly ImageRow[]) => ({
  items: rows.map((r) => r.image),
  labels: rows.map((r) => r.label),
});

/** Options of {@link attachVisionSideNet}: {@link AttachOptions} with `{image, label}` rows. */
export type AttachVisionOptions = Omit<AttachOptions<string>, "train" | "calibration" | "poolings"> & {
  train: readonly ImageRow[];
  calibration: readonly ImageRow[];
  poolings?: readonly VisionPooling[];
};

/** Attaches a SideNet to a ResNet MainNet: heads on `train`, temperature and τ on `calibration`. */
export function attachVisionSideNet(o: AttachVisionOptions) {
  return attachSideNet(visionAdapter, {
    ...o,
    train: labelled(o.train),
    calibration: labelled(o.calibration),
  });
}

/** MainNet vs cascade accuracy, exit rates and calibration of a vision SideNet on labelled images. */
export function evaluateVisionSideNet(
  model: SideNetModel,
  dir: string,
  rows: readonly ImageRow[],
): Promise<Evaluation> {
  return evaluateSideNet(visionAdapter, model, dir, labelled(rows));
}
