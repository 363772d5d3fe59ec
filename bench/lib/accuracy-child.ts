/**
 * One variant of one fixture in a process of its own: loads the pipeline, classifies the whole test
 * split at batch 32, and prints one JSON line with the predictions, the exit rate and the process's peak
 * RSS (so each variant's memory is measured alone). Run by `bench/run.ts`.
 */
import { env } from "@huggingface/transformers";
import { classifyAll, FIXTURES } from "@sidenet/examples/fixtures";
import { peakRssMiB } from "./rss.js";
import { loadVariant, VARIANTS } from "./variants.js";

env.allowRemoteModels = false;
const [fixture, variant] = process.argv.slice(2);
const f = FIXTURES.find((x) => x.name === fixture);
const v = VARIANTS.find((x) => x.name === variant);
if (!f || !v) {
  console.error(
    `usage: accuracy-child.ts <${FIXTURES.map((x) => x.name).join("|")}> <${VARIANTS.map((x) => x.name).join("|")}>`,
  );
  process.exit(2);
}
const rssStart = process.memoryUsage().rss;
const { classify, pipe } = await loadVariant(f, v);
const rssLoaded = process.memoryUsage().rss;
const { predicted, accuracy, exitRate } = await classifyAll(classify, f.split("test"));
await pipe.dispose();
const mib = (b: number) => b / 2 ** 20;
console.log(
  JSON.stringify({
    predicted,
    accuracy,
    exitRate,
    rssStartMiB: mib(rssStart),
    rssLoadedMiB: mib(rssLoaded),
    peakRssMiB: peakRssMiB(),
  }),
);
