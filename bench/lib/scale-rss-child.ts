/**
 * Peak RSS of one pipeline on a scale model, in a process of its own: loads the stock pipeline (no
 * artefact given) or a SideNet pipeline in `dtype`, classifies the bench's items at batch 32 with every
 * exit on and none taken (per-call τ above every confidence, so every segment session runs and every
 * carried tensor is held), and prints one JSON line. Run by `bench/scale.ts`.
 *
 * Usage: scale-rss-child.ts <model> <dtype> <items> [<tap position> <τ>]
 */
import { env } from "@huggingface/transformers";
import { chunk } from "@sidenet/core";
import { peakRssMiB } from "./rss.js";
import { SCALE_MODELS, scaleArtefactDir, stockPipeline, type TapPosition } from "./scale-models.js";

env.allowRemoteModels = false;
const [name, dtype, items, at, tau] = process.argv.slice(2);
const m = SCALE_MODELS.find((x) => x.name === name);
if (!m || !dtype || !items) {
  console.error("usage: scale-rss-child.ts <model> <dtype> <items> [<first|middle> <τ>]");
  process.exit(2);
}
const rssStart = process.memoryUsage().rss;
type Pipe = ((x: string[], o?: object) => Promise<unknown>) & { dispose(): Promise<unknown> };
const pipe = (at
  ? await m.sidenet(scaleArtefactDir(m, at as TapPosition), dtype)
  : await stockPipeline(m, dtype)) as unknown as Pipe;
const rssLoaded = process.memoryUsage().rss;
const inputs = m
  .rows("test")
  .slice(0, Number(items))
  .map((r) => r.input);
for (const b of chunk(inputs, 32)) await pipe(b, tau === undefined ? {} : { threshold: Number(tau) });
await pipe.dispose();
const mib = (b: number) => b / 2 ** 20;
console.log(
  JSON.stringify({
    rssStartMiB: mib(rssStart),
    rssLoadedMiB: mib(rssLoaded),
    peakRssMiB: peakRssMiB(),
  }),
);
