/**
 * The timing-only MainNets of `pnpm bench --scale`: random-weight graphs in the hub layouts of
 * bert-base-uncased, distilbert-base-uncased and microsoft/resnet-50, built on demand into `.cache/scale`
 * by `fixtures/tools/make_scale.py` (never committed), and the single-exit SideNets attached to each at its
 * first and at a middle tap. Their answers are noise: only speed and memory are measured on them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pipeline as hfPipeline } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { SIDENET_JSON, type SideNetManifest } from "@sidenet/core/artefact";
import type { ModalityAdapter } from "@sidenet/core/attach";
import { sha256File } from "@sidenet/core/node";
import { type Architecture, findArchitecture, namedTaps } from "@sidenet/core/runtime";
import { DATA, ROOT } from "@sidenet/examples/fixtures";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";

export type ScaleName = "bert-base" | "distilbert-base" | "resnet-50";
export type TapPosition = "first" | "middle";
export const TAP_POSITIONS: readonly TapPosition[] = ["first", "middle"];

export interface ScaleModel {
  name: ScaleName;
  /** The hub model whose layout it has. */
  layout: string;
  task: "text-classification" | "image-classification";
  adapter: ModalityAdapter<string>;
  registry: readonly Architecture[];
  /** Real inputs (SpamAssassin test emails, Fashion-MNIST test images) and their labels. */
  rows(split: "test" | "validation"): { input: string; label: string }[];
  attach(o: {
    mainnet: string;
    out: string;
    tap: string;
    rows: { input: string; label: string }[];
  }): Promise<unknown>;
  sidenet(dir: string, dtype: string): Promise<unknown>;
}

const spam = (split: string) =>
  text
    .readTextJsonl(join(DATA, "spam-assassin", `${split}.jsonl`))
    .map((r) => ({ input: r.text, label: r.label }));
const fashion = (split: string) =>
  vision
    .readImageDataset(join(DATA, "fashion-mnist", `${split}.jsonl`))
    .map((r) => ({ input: r.image, label: r.label }));

/** Attach options of every scale SideNet: one exit at `tap`, no small-batch timing. */
const attachOptions = (mainnet: string, out: string, tap: string) => ({
  mainnet,
  out,
  taps: [tap],
  maxExits: 1,
  // any τ does: the bench forces its exit rates per call
  maxDrop: 100,
  dtypes: ["fp32", "q8"],
  measureSmallBatches: false,
  log: () => {},
});

/** Every other row to train the head on, the rest to calibrate it. */
const alternate = <R>(rows: readonly R[]) => ({
  train: rows.filter((_, i) => i % 2 === 0),
  calibration: rows.filter((_, i) => i % 2 === 1),
});

const textModel = (name: ScaleName, layout: string): ScaleModel => ({
  name,
  layout,
  task: "text-classification",
  adapter: text.textAdapter,
  registry: text.TEXT_ARCHITECTURES,
  rows: spam,
  attach: ({ mainnet, out, tap, rows }) =>
    text.attachTextSideNet({
      ...attachOptions(mainnet, out, tap),
      ...alternate(rows.map((x) => ({ text: x.input, label: x.label }))),
    }),
  sidenet: (dir, dtype) => text.pipeline("text-classification", dir, { dtype }),
});

export const SCALE_MODELS: readonly ScaleModel[] = [
  textModel("bert-base", "bert-base-uncased"),
  textModel("distilbert-base", "distilbert-base-uncased"),
  {
    name: "resnet-50",
    layout: "microsoft/resnet-50",
    task: "image-classification",
    adapter: vision.visionAdapter,
    registry: vision.VISION_ARCHITECTURES,
    rows: fashion,
    attach: ({ mainnet, out, tap, rows }) =>
      vision.attachVisionSideNet({
        ...attachOptions(mainnet, out, tap),
        ...alternate(rows.map((x) => ({ image: x.input, label: x.label }))),
      }),
    sidenet: (dir, dtype) => vision.pipeline("image-classification", dir, { dtype }),
  },
];

export const scaleDir = (m: ScaleModel) => join(ROOT, ".cache", "scale", m.name);
export const scaleArtefactDir = (m: ScaleModel, at: TapPosition) =>
  join(ROOT, ".cache", "scale", "artefacts", `${m.name}-${at}`);

/** Builds the random-weight graphs of `models` that are missing (Debian torch, ≈ 20 s). */
export function ensureScaleModels(models: readonly ScaleModel[]): void {
  const missing = models.filter((m) => !existsSync(join(scaleDir(m), "onnx", "model_quantized.onnx")));
  if (missing.length === 0) return;
  const python = process.env.SIDENET_PYTHON ?? "/usr/bin/python3";
  const tool = join(ROOT, "fixtures", "tools", "make_scale.py");
  const r = spawnSync(python, [tool, ...missing.map((m) => m.name)], { stdio: "inherit" });
  if (r.status !== 0) {
    throw new Error(
      `${tool} exited with ${r.status ?? r.signal}: it needs Debian's python3-torch and python3-onnx (apt-get install -y python3-torch python3-onnx libopenblas0-pthread), or SIDENET_PYTHON pointing at a Python that has them.`,
    );
  }
}

/** Taps found per graph file (keyed by path, size and mtime): a hub-size graph is decoded once per run. */
const found = new Map<string, { name: string; label: string }[]>();

/** The registry-named tap candidates of a scale model's fp32 graph, in graph order. */
export function scaleTaps(m: ScaleModel): { name: string; label: string }[] {
  const dir = scaleDir(m);
  const file = join(dir, "onnx", "model.onnx");
  const st = statSync(file);
  const key = `${file}\u0000${st.size}\u0000${st.mtimeMs}`;
  let taps = found.get(key);
  if (!taps) {
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { model_type: string };
    const arch = findArchitecture(m.registry, config.model_type);
    taps = namedTaps(arch, findTapCandidates(decodeModel(readFileSync(file)))).map((t) => ({
      name: t.name,
      label: arch?.tapName(t.name) ?? t.name,
    }));
    found.set(key, taps);
  }
  return taps;
}

/** The tap at a position: the first candidate, or the middle one (index ⌊(n − 1) / 2⌋). */
export function tapAt(m: ScaleModel, at: TapPosition): { name: string; label: string } {
  const taps = scaleTaps(m);
  const t = at === "first" ? taps[0] : taps[(taps.length - 1) >> 1];
  if (!t) throw new Error(`${scaleDir(m)}: the tap finder found no tap`);
  return t;
}

/**
 * The single-exit SideNet at `at`, attached on `rows` validation rows (half train, half calibration; every
 * other row, evenly spaced over the split)
 * when missing or when the graph changed.
 */
export async function ensureScaleArtefact(
  m: ScaleModel,
  at: TapPosition,
  rows: number,
  log: (s: string) => void,
): Promise<string> {
  const out = scaleArtefactDir(m, at);
  const manifestPath = join(out, SIDENET_JSON);
  const tap = tapAt(m, at);
  const cached = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, "utf8")) as SideNetManifest)
    : undefined;
  const fresh =
    cached &&
    cached.mainnet.sha256 === sha256File(join(scaleDir(m), "onnx", "model.onnx")) &&
    cached.exits[0]?.tap === tap.name &&
    cached.segments.q8;
  if (!fresh) {
    log(`[${m.name}] attaching a SideNet at ${tap.label} on ${rows} rows …`);
    const t0 = performance.now();
    // evenly spaced over the split (the spam split is grouped by label)
    const all = m.rows("validation");
    const step = Math.max(1, Math.floor(all.length / rows));
    const picked = all.filter((_, i) => i % step === 0).slice(0, rows);
    await m.attach({ mainnet: scaleDir(m), out, tap: tap.name, rows: picked });
    log(`[${m.name}] attached at ${tap.label} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return out;
}

/** The stock transformers.js pipeline on a scale model's graph in `dtype`. */
export const stockPipeline = (m: ScaleModel, dtype: string) =>
  hfPipeline(m.task, scaleDir(m), { dtype } as never);
