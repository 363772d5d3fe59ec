/**
 * The README's main job: attach a SideNet to each fixture (cached after the first run), then print
 * MainNet vs cascade accuracy on the full test split, the exit rate, and the speed-up measured side by
 * side (stock transformers.js pipeline vs SideNet pipeline, interleaved) at batch 1 and 32.
 *
 * Run: `pnpm demo` (after `bash scripts/setup.sh`). `--fresh` re-attaches; `--only bert|resnet`.
 * The fuller measurement (ideal bound, τ = 1 overhead, q8, memory) is `pnpm bench`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { env, pipeline as hfPipeline } from "@huggingface/transformers";
import { chunk, pairedRatio, sideBySide } from "@sidenet/core";
import { SIDENET_JSON } from "@sidenet/core/artefact";
import { type Classify, classifyAll, ensureArtefact, FIXTURES, mainnetDir } from "./lib/fixtures.js";

env.allowRemoteModels = false;
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const artefact = await ensureArtefact(f, process.argv.includes("--fresh"));
  const test = f.split("test");
  const stock = (await hfPipeline(f.task, mainnetDir(f))) as unknown as Classify;
  const sidenet = (await f.pipeline(artefact)) as unknown as Classify;
  const exit = JSON.parse(readFileSync(join(artefact, SIDENET_JSON), "utf8")).exits[0];
  const main = await classifyAll(stock, test);
  const cascade = await classifyAll(sidenet, test);
  const inputs = test.map((r) => r.input);
  const opts = { top_k: 1 };
  const variants = [(b: string[]) => stock(b, opts), (b: string[]) => sidenet(b, opts)];
  const [s32, n32] = await sideBySide(chunk(inputs.slice(0, f.timed.b32), 32), variants);
  const [s1, n1] = await sideBySide(chunk(inputs.slice(0, f.timed.b1), 1), variants);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const speed = (a: typeof s1, b: typeof s1) =>
    `${a!.median.toFixed(1)} | ${b!.median.toFixed(1)} → **${pairedRatio(a!, b!).median.toFixed(2)}×**`;
  console.log(`
## ${f.name}: SideNet at ${exit.tap} [${exit.pooling}], τ = ${exit.threshold.toFixed(4)}, T = ${exit.temperature.toFixed(2)}
test split: ${test.length} items (never seen by the MainNet, the heads, the temperature or τ)

| | MainNet (stock pipeline) | SideNet cascade |
| --- | --- | --- |
| accuracy | ${pct(main.accuracy)} | ${pct(cascade.accuracy)} (drop ${((main.accuracy - cascade.accuracy) * 100).toFixed(2)} pt) |
| exit rate | – | ${pct(cascade.exitRate)} |
| batch 32, items/s (median of 5, ${f.timed.b32} items) | ${speed(s32, n32)} |
| batch 1, items/s (median of 5, ${f.timed.b1} items) | ${speed(s1, n1)} |
`);
  await (sidenet as unknown as { model: { dispose(): Promise<unknown> } }).model.dispose();
}
console.log(
  "Speed is measured side by side in one process (variants alternate, after a warm-up); the speed-up is the median of per-round ratios.",
);
