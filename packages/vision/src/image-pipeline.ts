import { ImageClassificationPipeline, softmax, Tensor, topk } from "@huggingface/transformers";
import { type SideNetModel, telemetryOf, withTelemetry } from "@sidenet/core/runtime";
import { readImage } from "./read-image.js";

/** Options of a SideNet image-classification call: transformers.js's `top_k`, plus τ overrides. */
export interface SideNetImageCallOptions {
  top_k?: number;
  threshold?: number;
  thresholds?: number[];
}

type Processor = (images: unknown[]) => Promise<{ pixel_values: unknown }>;

/**
 * transformers.js's `ImageClassificationPipeline` on a SideNet model: same image loading, processor and
 * post-processing, same output shapes; `result.sidenet[i]` is item i's exit telemetry (non-enumerable).
 * Besides what the stock pipeline reads (paths, URLs, Blobs, RawImages, canvases) it takes decoded
 * pixels, an `ImageData` or a uint8 image `Tensor` ({@link readImage}).
 */
export class SideNetImageClassificationPipeline extends ImageClassificationPipeline {
  declare model: SideNetModel;

  // biome-ignore lint/suspicious/noExplicitAny: matches the base class's loose JSDoc signature
  override async _call(images: any, options: SideNetImageCallOptions = {}): Promise<any> {
    const { top_k = 5, threshold, thresholds } = options;
    const list = Array.isArray(images) ? images : [images];
    if (list.length === 0) return withTelemetry([], []);
    const prepared = await Promise.all(list.map((x, i) => readImage(x, i)));
    const { pixel_values } = await (this.processor as unknown as Processor)(prepared);
    const out = await this.model.run({ pixel_values } as never, { threshold, thresholds });
    const { id2label } = this.model.config as { id2label?: Record<string, string> };
    const C = out.classes;
    const toReturn: { label: string; score: number }[][] = [];
    for (let r = 0; r < out.rows; r++) {
      const row = out.logits.slice(r * C, (r + 1) * C);
      const [values, indices] = (await topk(new Tensor("float32", softmax(row), [C]), top_k)) as [
        Tensor,
        Tensor,
      ];
      const val = values.tolist() as number[];
      toReturn.push(
        (indices.tolist() as number[]).map((x, i) => ({
          label: id2label ? id2label[x]! : `LABEL_${x}`,
          score: val[i]!,
        })),
      );
    }
    const result = Array.isArray(images) ? toReturn : toReturn[0]!;
    return withTelemetry(result, telemetryOf(out, this.model.manifest.exits));
  }
}
