/**
 * The README's main job: attach a SideNet to the `bert` fixture (cached after the first run), then print
 * MainNet vs cascade accuracy on the full test split, the exit rate, and the speed-up measured side by
 * side (stock transformers.js pipeline vs SideNet pipeline, interleaved) at batch 1 and 32.
 *
 * Run: `pnpm demo` (after `bash scripts/setup.sh`). `--fresh` re-attaches.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env, pipeline as hfPipeline } from "@huggingface/transformers";
import { SIDENET_JSON, sha256File } from "@sidenet/core";
import { attachTextSideNet, pipeline, readTextJsonl, type TextRow } from "@sidenet/text";
import { chunk, interleaved } from "./lib/measure.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const ARTEFACT = join(ROOT, ".cache", "artefacts", "bert-sidenet");

const split = (name: string) => readTextJsonl(join(DATA, "spam-assassin", `${name}.jsonl`));
const [train, validation, test] = [split("train"), split("validation"), split("test")];

const stale =
  !existsSync(join(ARTEFACT, SIDENET_JSON)) ||
  JSON.parse(readFileSync(join(ARTEFACT, SIDENET_JSON), "utf8")).mainnet.sha256 !==
    sha256File(join(MAINNET, "onnx", "model.onnx"));
if (stale || process.argv.includes("--fresh")) {
  console.log(`attaching a SideNet to ${MAINNET} (heads on train, temperature and τ on validation) …`);
  await attachTextSideNet({
    mainnet: MAINNET,
    train,
    calibration: validation,
    out: ARTEFACT,
    maxDrop: 0.5,
    trainName: "spam-assassin/train",
    calibrationName: "spam-assassin/validation",
  });
} else {
  console.log(`using the cached SideNet in ${ARTEFACT} (--fresh to re-attach)`);
}

type Classify = (
  texts: string[],
  o?: object,
) => Promise<{ label: string }[]> & { sidenet?: { exit: number }[] };
const stock = (await hfPipeline("text-classification", MAINNET)) as unknown as Classify;
const sidenet = (await pipeline("text-classification", ARTEFACT)) as unknown as Classify;
const manifest = JSON.parse(readFileSync(join(ARTEFACT, SIDENET_JSON), "utf8"));

async function accuracy(classify: Classify, rows: TextRow[]) {
  let correct = 0;
  let exited = 0;
  for (const batch of chunk(rows, 32)) {
    const out = await classify(batch.map((r) => r.text));
    out.forEach((o, i) => {
      if (o.label === batch[i]!.label) correct++;
    });
    exited += ((out as { sidenet?: { exit: number }[] }).sidenet ?? []).filter((t) => t.exit >= 0).length;
  }
  return { accuracy: correct / rows.length, exitRate: exited / rows.length };
}

const main = await accuracy(stock, test);
const cascade = await accuracy(sidenet, test);
const texts = test.map((r) => r.text);
const b32 = await interleaved(
  chunk(texts.slice(0, 320), 32),
  (b) => stock(b),
  (b) => sidenet(b),
  5,
);
const b1 = await interleaved(
  chunk(texts.slice(0, 60), 1),
  (b) => stock(b),
  (b) => sidenet(b),
  5,
);

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
console.log(`
SideNet on the bert fixture — exit at ${manifest.exits[0].tap} [${manifest.exits[0].pooling}], τ = ${manifest.exits[0].threshold.toFixed(4)}, T = ${manifest.exits[0].temperature.toFixed(2)}
test split: ${test.length} emails (never seen by the MainNet, the heads, the temperature or τ)

| | MainNet (stock pipeline) | SideNet cascade |
| --- | --- | --- |
| accuracy | ${pct(main.accuracy)} | ${pct(cascade.accuracy)} (drop ${((main.accuracy - cascade.accuracy) * 100).toFixed(2)} pt) |
| exit rate | – | ${pct(cascade.exitRate)} |
| batch 32, items/s (median of 5, 320 emails) | ${b32.a.median.toFixed(1)} | ${b32.b.median.toFixed(1)} → **${(b32.b.median / b32.a.median).toFixed(2)}×** |
| batch 1, items/s (median of 5, 60 emails) | ${b1.a.median.toFixed(1)} | ${b1.b.median.toFixed(1)} → **${(b1.b.median / b1.a.median).toFixed(2)}×** |

Speed is measured side by side in this process (A B / B A alternating, after a warm-up), as a ratio.
`);
