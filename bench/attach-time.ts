/**
 * `pnpm bench:attach`: wall time of attach per fixture (heads on train, temperature and τ on validation,
 * as `pnpm demo` attaches), into a scratch directory so the cached demo artefacts stay as they are:
 * - cold: with an empty attach cache (every feature extracted, every head trained);
 * - warm: a second attach with another budget (1 pt), reusing the first one's cache.
 * Each line also says which cascade was chosen, so that runs (before / after a change) can be compared for
 * the same choice. `--only bert|resnet|…` for one fixture, `--workers N` for the head-training threads.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { FIXTURES, mainnetDir } from "@sidenet/examples/fixtures";

env.allowRemoteModels = false;
const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const only = arg("--only");
const workers = arg("--workers") === undefined ? undefined : Number(arg("--workers"));

/** The chosen cascade of an artefact: its taps and thresholds. */
function choice(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8")) as {
    selection: { chosen: { taps: string[]; thresholds: number[]; accuracy: number } };
  };
  const c = m.selection.chosen;
  return `${c.taps.map((t, i) => `${t} τ ${c.thresholds[i]}`).join(" → ")}, calibration accuracy ${(c.accuracy * 100).toFixed(2)} %`;
}

for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const scratch = mkdtempSync(join(tmpdir(), `sidenet-attach-${f.name}-`));
  try {
    const train = f.split("train");
    const calibration = f.split("validation");
    const attachCache = join(scratch, "cache");
    const timed = async (name: string, maxDrop: number) => {
      const t0 = performance.now();
      const out = join(scratch, name);
      await f.attach(mainnetDir(f), out, train, calibration, {
        maxDrop,
        attachCache,
        ...(workers !== undefined ? { workers } : {}),
      });
      return { s: (performance.now() - t0) / 1000, choice: choice(out) };
    };
    const cold = await timed("cold", 0.5);
    const warm = await timed("warm", 1);
    console.log(
      `attach ${f.name}: cold ${cold.s.toFixed(1)} s (${f.trainRows ?? train.length} train + ${calibration.length} calibration rows; chosen ${cold.choice}), warm ${warm.s.toFixed(1)} s (budget 1 pt, the cache of the cold one; chosen ${warm.choice})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
