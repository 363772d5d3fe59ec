import { readFile } from "node:fs/promises";
import { AutoProcessor, RawImage } from "@huggingface/transformers";
import {
  type AttachOptions,
  attachSideNet,
  type Evaluation,
  evaluateSideNet,
  type ModalityAdapter,
} from "@sidenet/core/attach";
import { pretrainedPath } from "@sidenet/core/node";
import type { SideNetModel, TensorMap } from "@sidenet/core/runtime";
import type { ImageRow } from "./data.js";
import { VISION_ARCHITECTURES } from "./models/index.js";

type Processor = (images: unknown[]) => Promise<TensorMap>;

/** Loads the MainNet's image processor: image paths, URLs or encoded bytes → `pixel_values`, as the stock pipeline makes them. */
async function prepareImages(dir: string): Promise<(images: (string | Blob)[]) => Promise<TensorMap>> {
  const processor = (await AutoProcessor.from_pretrained(pretrainedPath(dir))) as unknown as Processor;
  return async (images) => {
    const { pixel_values } = await processor(await Promise.all(images.map((x) => RawImage.read(x))));
    return { pixel_values: pixel_values! };
  };
}

/**
 * What an image's features depend on: a local file's bytes (not its path: a file rewritten in place is
 * another image), a Blob's bytes, else the URL itself.
 */
async function imageKey(image: string | Blob): Promise<string | Uint8Array> {
  if (typeof image !== "string") return new Uint8Array(await image.arrayBuffer());
  if (/^(https?|data|blob):/i.test(image)) return image;
  try {
    return await readFile(image.startsWith("file:") ? new URL(image) : image);
  } catch {
    return image; // RawImage.read will fail on it with its own message
  }
}

/** The vision modality: its registry, the MainNet's own image processor, images' content for the cache. */
export const visionAdapter: ModalityAdapter<string | Blob> = {
  task: "image-classification",
  architectures: VISION_ARCHITECTURES,
  prepare: prepareImages,
  itemKey: imageKey,
};

const labelled = (rows: readonly ImageRow[]) => ({
  items: rows.map((r) => r.image),
  labels: rows.map((r) => r.label),
  where: (i: number) => rows[i]?.at ?? `row ${i + 1}`,
});

/** Options of {@link attachVisionSideNet}: {@link AttachOptions} with `{image, label}` rows. */
export type AttachVisionOptions = Omit<AttachOptions<string | Blob>, "train" | "calibration"> & {
  train: readonly ImageRow[];
  calibration: readonly ImageRow[];
};

/**
 * Attaches a SideNet to an image-classification MainNet of a supported family: heads on `train`,
 * temperature and τ on `calibration`.
 *
 * @example
 * ```ts
 * const { manifest } = await attachVisionSideNet({ mainnet: "./resnet", train, calibration, out: "./resnet-sidenet" });
 * manifest.exits.map((e) => e.tap); // ["/resnet/encoder/stages.0/layers/layers.0/activation/Relu_output_0", …]
 * ```
 */
export function attachVisionSideNet(o: AttachVisionOptions) {
  return attachSideNet(visionAdapter, {
    ...o,
    train: labelled(o.train),
    calibration: labelled(o.calibration),
  });
}

/** MainNet vs cascade accuracy, exit rates and calibration of a vision SideNet on labelled images. */
export async function evaluateVisionSideNet(
  model: SideNetModel,
  dir: string,
  rows: readonly ImageRow[],
  batchSize = 32,
): Promise<Evaluation> {
  return evaluateSideNet(model, await prepareImages(dir), labelled(rows), batchSize);
}
