/**
 * The shipped fixtures as the demo and the benchmark use them: their splits, how a SideNet is
 * attached to them (cached in `.cache/artefacts`), and the SideNet pipeline of each.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RawImage } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { SIDENET_JSON, type SideNetManifest } from "@sidenet/core/artefact";
import { type ModalityAdapter, mainnetDtypes } from "@sidenet/core/attach";
import { sha256File } from "@sidenet/core/node";
import { findArchitecture, namedTaps } from "@sidenet/core/runtime";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");

/** A test item: the pipeline input (text, or image path) and its label. */
export type Row = { label: string; input: string };
/** A pipeline as the demo calls it: a batch of inputs → one result per input. */
export type Classify = (x: string[], o?: object) => Promise<unknown[]>;

export interface Fixture {
  name: "bert" | "distilbert" | "roberta" | "resnet" | "resnet50";
  task: "text-classification" | "image-classification";
  /** What the fixture classifies, for tables. */
  describe: string;
  /** The modality's pre-processing (for profiling the pieces of a call). */
  adapter: ModalityAdapter<string>;
  split(name: "train" | "validation" | "test"): Row[];
  /** The test split's JSONL file. */
  testData: string;
  /** The demo's attach (budget 0.5 pt); `o` overrides its options (the attach bench: cache, budget, workers). */
  attach(
    mainnet: string,
    out: string,
    train: Row[],
    calibration: Row[],
    o?: AttachOverrides,
  ): Promise<unknown>;
  pipeline(dir: string, options?: { dtype?: string }): Promise<unknown>;
  /** The part of pre-processing that only decodes inputs (image files → RawImage), for profiling. */
  decode?(inputs: string[]): Promise<unknown>;
  /** Items per timing set, at batch 32 and batch 1. */
  timed: { b32: number; b1: number };
  /** The heads train on the first this many rows of train (all when absent). */
  trainRows?: number;
}

/** Attach options a caller of {@link Fixture.attach} may set. */
export interface AttachOverrides {
  maxDrop?: number;
  attachCache?: string | false;
  workers?: number;
  log?: (line: string) => void;
}

/** A text fixture trained on SpamAssassin by fixtures/tools/train_text.py. */
const spamFixture = (name: "bert" | "distilbert" | "roberta", describe: string): Fixture => ({
  name,
  task: "text-classification",
  describe,
  adapter: text.textAdapter,
  split: (s) =>
    text
      .readTextJsonl(join(DATA, "spam-assassin", `${s}.jsonl`))
      .map((r) => ({ label: r.label, input: r.text })),
  testData: join(DATA, "spam-assassin", "test.jsonl"),
  attach: (mainnet, out, train, calibration, overrides) =>
    text.attachTextSideNet({
      mainnet,
      out,
      train: train.map((r) => ({ text: r.input, label: r.label })),
      calibration: calibration.map((r) => ({ text: r.input, label: r.label })),
      maxDrop: 0.5,
      trainName: "spam-assassin/train",
      calibrationName: "spam-assassin/validation",
      ...overrides,
    }),
  pipeline: (dir, options) => text.pipeline("text-classification", dir, options),
  timed: { b32: 320, b1: 240 },
});

/** The registry's taps of a ResNet MainNet that lie in the given stages. */
function stageTaps(mainnet: string, stages: readonly number[]): string[] {
  const graph = decodeModel(readFileSync(join(mainnet, "onnx", "model.onnx")));
  const arch = findArchitecture(vision.VISION_ARCHITECTURES, "resnet");
  return namedTaps(arch, findTapCandidates(graph))
    .filter((t) => stages.some((s) => arch?.tapName(t.name)?.startsWith(`stage ${s} `)))
    .map((t) => t.name);
}

/** A ResNet fixture trained on Fashion-MNIST by fixtures/tools/train_resnet.py. */
const fashionFixture = (
  name: "resnet" | "resnet50",
  describe: string,
  o: { timed: Fixture["timed"]; trainRows?: number; stages?: readonly number[] },
): Fixture => ({
  name,
  task: "image-classification",
  describe,
  adapter: vision.visionAdapter,
  split: (s) =>
    vision
      .readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`))
      .map((r) => ({ label: r.label, input: r.image })),
  testData: join(DATA, "fashion-mnist", "test.jsonl"),
  attach: (mainnet, out, train, calibration, overrides) =>
    vision.attachVisionSideNet({
      mainnet,
      out,
      train: train.slice(0, o.trainRows ?? train.length).map((r) => ({ image: r.input, label: r.label })),
      calibration: calibration.map((r) => ({ image: r.input, label: r.label })),
      maxDrop: 0.5,
      ...(o.stages ? { taps: stageTaps(mainnet, o.stages) } : {}),
      trainName: o.trainRows ? `fashion-mnist/train[0:${o.trainRows}]` : "fashion-mnist/train",
      calibrationName: "fashion-mnist/validation",
      ...overrides,
    }),
  pipeline: (dir, options) => vision.pipeline("image-classification", dir, options),
  decode: (inputs) => Promise.all(inputs.map((x) => RawImage.read(x))),
  timed: o.timed,
  ...(o.trainRows ? { trainRows: o.trainRows } : {}),
});

export const FIXTURES: readonly Fixture[] = [
  spamFixture("bert", "12-layer BERT, SpamAssassin"),
  fashionFixture("resnet", "ResNet, Fashion-MNIST", { timed: { b32: 640, b1: 400 } }),
  spamFixture("distilbert", "6-layer DistilBERT, SpamAssassin"),
  spamFixture("roberta", "12-layer RoBERTa, SpamAssassin"),
  // heads on a 6 000-image cut of train, at stages 0–1 only: the heads on its 1 024- and 2 048-channel
  // stages take minutes each in JavaScript, and exits there leave little of the MainNet to skip
  fashionFixture("resnet50", "ResNet-50 layout, Fashion-MNIST", {
    trainRows: 6000,
    stages: [0, 1],
    timed: { b32: 320, b1: 160 },
  }),
];

export const mainnetDir = (f: Fixture) => join(ROOT, "fixtures", "models", f.name);
export const artefactDir = (f: Fixture) => join(ROOT, ".cache", "artefacts", `${f.name}-sidenet`);

/**
 * The fixture's SideNet directory, attached (heads on train, temperature and τ on validation) when
 * missing, when its MainNet changed, or when `fresh`.
 */
export async function ensureArtefact(f: Fixture, fresh = false): Promise<string> {
  const mainnet = mainnetDir(f);
  const artefact = artefactDir(f);
  const manifestPath = join(artefact, SIDENET_JSON);
  const cached = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, "utf8")) as SideNetManifest)
    : undefined;
  // stale: another MainNet, or written before file pins and FLOPs-based choices
  const stale =
    !cached ||
    cached.mainnet.sha256 !== sha256File(join(mainnet, "onnx", "model.onnx")) ||
    !cached.files ||
    cached.selection?.cost_measure !== "flops" ||
    // a dtype file of the MainNet without segments (written before the MainNet had it)
    mainnetDtypes(mainnet).some((d) => !cached.segments[d]);
  if (stale || fresh) {
    console.log(`attaching a SideNet to ${mainnet} (heads on train, temperature and τ on validation) …`);
    const [train, calibration] = [f.split("train"), f.split("validation")];
    const t0 = performance.now();
    await f.attach(mainnet, artefact, train, calibration);
    console.log(`attached in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    console.log(`using the cached SideNet in ${artefact} (--fresh to re-attach)`);
  }
  return artefact;
}

const labelOf = (o: unknown) =>
  (Array.isArray(o) ? (o[0] as { label: string }) : (o as { label: string })).label;

/** Predicted labels of a pipeline over `rows` in batches of 32, with the rows that left at an exit. */
export async function classifyAll(classify: Classify, rows: readonly Row[]) {
  const predicted: string[] = [];
  let exited = 0;
  for (let i = 0; i < rows.length; i += 32) {
    const batch = rows.slice(i, i + 32);
    const out = await classify(
      batch.map((r) => r.input),
      { top_k: 1 },
    );
    for (const o of out) predicted.push(labelOf(o));
    exited += ((out as { sidenet?: { exit: number }[] }).sidenet ?? []).filter((t) => t.exit >= 0).length;
  }
  const correct = predicted.filter((p, i) => p === rows[i]!.label).length;
  return { predicted, accuracy: correct / rows.length, exitRate: exited / rows.length };
}
