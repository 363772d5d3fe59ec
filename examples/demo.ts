/**
 * The README's main job: attach a SideNet to each fixture (cached after the first run), then print
 * MainNet vs cascade accuracy on the full test split, the exit rate, and the speed-up measured side by
 * side (stock transformers.js pipeline vs SideNet pipeline, interleaved) at batch 1 and 32.
 *
 * Run: `pnpm demo` (after `bash scripts/setup.sh`). `--fresh` re-attaches; `--only bert|resnet`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, pipeline as hfPipeline } from "@huggingface/transformers";
import { SIDENET_JSON, sha256File } from "@sidenet/core";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import { chunk, interleaved } from "./lib/measure.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

type Row = { label: string; input: string };
type Classify = (x: string[], o?: object) => Promise<unknown[]>;

interface Fixture {
  name: "bert" | "resnet";
  task: "text-classification" | "image-classification";
  split(name: string): Row[];
  attach(mainnet: string, out: string, train: Row[], calibration: Row[]): Promise<unknown>;
  pipeline(dir: string): Promise<unknown>;
  /** items per timing set */
  timed: { b32: number; b1: number };
}

const FIXTURES: Fixture[] = [
  {
    name: "bert",
    task: "text-classification",
    split: (s) =>
      text
        .readTextJsonl(join(DATA, "spam-assassin", `${s}.jsonl`))
        .map((r) => ({ label: r.label, input: r.text })),
    attach: (mainnet, out, train, calibration) =>
      text.attachTextSideNet({
        mainnet,
        out,
        train: train.map((r) => ({ text: r.input, label: r.label })),
        calibration: calibration.map((r) => ({ text: r.input, label: r.label })),
        maxDrop: 0.5,
        trainName: "spam-assassin/train",
        calibrationName: "spam-assassin/validation",
      }),
    pipeline: (dir) => text.pipeline("text-classification", dir),
    timed: { b32: 320, b1: 60 },
  },
  {
    name: "resnet",
    task: "image-classification",
    split: (s) =>
      vision
        .readImageDataset(join(DATA, "fashion-mnist", `${s}.jsonl`))
        .map((r) => ({ label: r.label, input: r.image })),
    attach: (mainnet, out, train, calibration) =>
      vision.attachVisionSideNet({
        mainnet,
        out,
        train: train.map((r) => ({ image: r.input, label: r.label })),
        calibration: calibration.map((r) => ({ image: r.input, label: r.label })),
        maxDrop: 0.5,
        trainName: "fashion-mnist/train",
        calibrationName: "fashion-mnist/validation",
      }),
    pipeline: (dir) => vision.pipeline("image-classification", dir),
    timed: { b32: 640, b1: 100 },
  },
];

const labelOf = (o: unknown) =>
  (Array.isArray(o) ? (o[0] as { label: string }) : (o as { label: string })).label;

async function accuracy(classify: Classify, rows: Row[]) {
  let correct = 0;
  let exited = 0;
  for (const batch of chunk(rows, 32)) {
    const out = await classify(
      batch.map((r) => r.input),
      { top_k: 1 },
    );
    out.forEach((o, i) => {
      if (labelOf(o) === batch[i]!.label) correct++;
    });
    exited += ((out as { sidenet?: { exit: number }[] }).sidenet ?? []).filter((t) => t.exit >= 0).length;
  }
  return { accuracy: correct / rows.length, exitRate: exited / rows.length };
}

for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const mainnet = join(ROOT, "fixtures", "models", f.name);
  const artefact = join(ROOT, ".cache", "artefacts", `${f.name}-sidenet`);
  const [train, validation, test] = [f.split("train"), f.split("validation"), f.split("test")];
  const manifestPath = join(artefact, SIDENET_JSON);
  const stale =
    !existsSync(manifestPath) ||
    JSON.parse(readFileSync(manifestPath, "utf8")).mainnet.sha256 !==
      sha256File(join(mainnet, "onnx", "model.onnx"));
  if (stale || process.argv.includes("--fresh")) {
    console.log(`attaching a SideNet to ${mainnet} (heads on train, temperature and τ on validation) …`);
    await f.attach(mainnet, artefact, train, validation);
  } else {
    console.log(`using the cached SideNet in ${artefact} (--fresh to re-attach)`);
  }
  const stock = (await hfPipeline(f.task, mainnet)) as unknown as Classify;
  const sidenet = (await f.pipeline(artefact)) as unknown as Classify;
  const exit = JSON.parse(readFileSync(manifestPath, "utf8")).exits[0];
  const main = await accuracy(stock, test);
  const cascade = await accuracy(sidenet, test);
  const inputs = test.map((r) => r.input);
  const opts = { top_k: 1 };
  const b32 = await interleaved(
    chunk(inputs.slice(0, f.timed.b32), 32),
    (b) => stock(b, opts),
    (b) => sidenet(b, opts),
    5,
  );
  const b1 = await interleaved(
    chunk(inputs.slice(0, f.timed.b1), 1),
    (b) => stock(b, opts),
    (b) => sidenet(b, opts),
    5,
  );
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  console.log(`
## ${f.name}: SideNet at ${exit.tap} [${exit.pooling}], τ = ${exit.threshold.toFixed(4)}, T = ${exit.temperature.toFixed(2)}
test split: ${test.length} items (never seen by the MainNet, the heads, the temperature or τ)

| | MainNet (stock pipeline) | SideNet cascade |
| --- | --- | --- |
| accuracy | ${pct(main.accuracy)} | ${pct(cascade.accuracy)} (drop ${((main.accuracy - cascade.accuracy) * 100).toFixed(2)} pt) |
| exit rate | – | ${pct(cascade.exitRate)} |
| batch 32, items/s (median of 5, ${f.timed.b32} items) | ${b32.a.median.toFixed(1)} | ${b32.b.median.toFixed(1)} → **${(b32.b.median / b32.a.median).toFixed(2)}×** |
| batch 1, items/s (median of 5, ${f.timed.b1} items) | ${b1.a.median.toFixed(1)} | ${b1.b.median.toFixed(1)} → **${(b1.b.median / b1.a.median).toFixed(2)}×** |
`);
  await (sidenet as unknown as { model: { dispose(): Promise<unknown> } }).model.dispose();
}
console.log(
  "Speed is measured side by side in one process (A B / B A alternating, after a warm-up), as a ratio.",
);
