import { softmax, Tensor, TextClassificationPipeline, topk } from "@huggingface/transformers";
import {
  type ExitTelemetry,
  type SideNetModel,
  type TensorMap,
  telemetryOf,
  withTelemetry,
} from "@sidenet/core/runtime";

/** One `{ label, score }` item, exactly as transformers.js's text-classification pipeline returns it. */
export interface TextClassificationItem {
  label: string;
  score: number;
}

/** Options of a SideNet text-classification call: transformers.js's `top_k`, plus τ overrides. */
export interface SideNetTextCallOptions {
  top_k?: number;
  /** τ for every exit (0: all rows exit at the first exit, 1: MainNet only). */
  threshold?: number;
  /** τ per exit. */
  thresholds?: number[];
}

/** Output of a SideNet pipeline call: the stock shape, with per-input telemetry as a non-enumerable property. */
export type WithTelemetry<T> = T & { readonly sidenet: ExitTelemetry[] };

type Tokenizer = (texts: string | string[], o: { padding: boolean; truncation: boolean }) => TensorMap;

/**
 * transformers.js's `TextClassificationPipeline` on a {@link SideNetModel}: same tokenisation, same
 * post-processing (softmax, top-k, labels), same output shapes. Rows are routed through the SideNet
 * cascade; `result.sidenet[i]` tells where item i exited, with what confidence, after how many ms.
 *
 * An empty batch gives an empty result (transformers.js's tokenizer would throw).
 *
 * @example
 * ```ts
 * const out = await classify(["win a free cruise!!!"], { threshold: 0.9 });
 * // [{ label: "spam", score: 0.998 }]; out.sidenet → [{ exit: 0, tap: "/bert/encoder/layer.2/…", confidence: 0.998, ms: 3.1 }]
 * ```
 */
export class SideNetTextClassificationPipeline extends TextClassificationPipeline {
  declare model: SideNetModel;

  // biome-ignore lint/suspicious/noExplicitAny: matches the base class's loose JSDoc signature
  override async _call(texts: string | string[], options: SideNetTextCallOptions = {}): Promise<any> {
    const { top_k = 1, threshold, thresholds } = options;
    if (Array.isArray(texts) && texts.length === 0) return withTelemetry([], []);
    const tokenizer = this.tokenizer as unknown as Tokenizer;
    const inputs = tokenizer(texts, { padding: true, truncation: true });
    const out = await this.model.run(inputs, { threshold, thresholds });
    const { problem_type, id2label } = this.model.config as {
      problem_type?: string;
      id2label?: Record<string, string>;
    };
    const C = out.classes;
    // The stock pipeline's own post-processing, row by row (its softmax and top-k), so that rows the
    // MainNet answers come out bit-identical to transformers.js's.
    const items: (TextClassificationItem | TextClassificationItem[])[] = [];
    for (let r = 0; r < out.rows; r++) {
      const row = new Tensor("float32", out.logits.slice(r * C, (r + 1) * C), [C]);
      const output =
        problem_type === "multi_label_classification"
          ? row.sigmoid()
          : new Tensor("float32", softmax(row.data as Float32Array), [C]);
      const [values, indices] = (await topk(output, top_k)) as [Tensor, Tensor];
      const idx = indices.tolist() as number[];
      const val = values.tolist() as number[];
      const vals = idx.map((x, i) => ({ label: id2label ? id2label[x]! : `LABEL_${x}`, score: val[i]! }));
      if (top_k === 1) items.push(...vals);
      else items.push(vals);
    }
    const result = Array.isArray(texts) || top_k === 1 ? items : items[0];
    return withTelemetry(result as object, telemetryOf(out, this.model.manifest.exits));
  }
}
