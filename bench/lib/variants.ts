/** The pipelines the benchmark compares, and how each is loaded. */
import { pipeline as hfPipeline } from "@huggingface/transformers";
import { artefactDir, type Classify, type Fixture, mainnetDir } from "@sidenet/examples/fixtures";

export type VariantName = "stock" | "sidenet" | "sidenet-off" | "stock-q8" | "sidenet-q8";

export interface Variant {
  name: VariantName;
  /** What the tables call it. */
  label: string;
  dtype: "fp32" | "q8";
  sidenet: boolean;
  /** Per-call τ override (1: every exit off). */
  threshold?: number;
}

export const VARIANTS: readonly Variant[] = [
  { name: "stock", label: "stock pipeline, fp32", dtype: "fp32", sidenet: false },
  { name: "sidenet", label: "SideNet, fp32, chosen τ", dtype: "fp32", sidenet: true },
  { name: "sidenet-off", label: "SideNet, fp32, τ = 1", dtype: "fp32", sidenet: true, threshold: 1 },
  { name: "stock-q8", label: "stock pipeline, q8", dtype: "q8", sidenet: false },
  { name: "sidenet-q8", label: "SideNet, q8, chosen τ", dtype: "q8", sidenet: true },
];

export interface Loaded {
  classify: Classify;
  /** The pipeline object (`.model`, `.tokenizer` / `.processor`). */
  pipe: { model: unknown; dispose(): Promise<unknown> };
}

/** The stock pipeline on a fixture's MainNet, or its SideNet pipeline, loaded with `dtype` (fp32: the default). */
export async function loadPipeline(
  f: Fixture,
  dtype: string,
  sidenet: boolean,
): Promise<Classify & Loaded["pipe"]> {
  const options = dtype === "fp32" ? {} : { dtype };
  return (sidenet
    ? await f.pipeline(artefactDir(f), options)
    : await hfPipeline(f.task, mainnetDir(f), options as never)) as unknown as Classify & Loaded["pipe"];
}

/** Loads a variant's pipeline; `classify` applies its τ override and `top_k: 1`. */
export async function loadVariant(f: Fixture, v: Variant): Promise<Loaded> {
  const pipe = await loadPipeline(f, v.dtype, v.sidenet);
  const extra = v.threshold === undefined ? {} : { threshold: v.threshold };
  return { classify: (x, o) => pipe(x, { top_k: 1, ...extra, ...o }), pipe };
}
