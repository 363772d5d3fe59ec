/**
 * `pnpm bench:attach`: wall time of one attach per fixture (heads on train, temperature and τ on
 * validation, as `pnpm demo` attaches), written to a scratch directory so the cached demo artefacts stay
 * as they are. Prints one line per fixture; `--only bert|resnet` for one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { FIXTURES, mainnetDir } from "@sidenet/examples/fixtures";

env.allowRemoteModels = false;
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

for (const f of FIXTURES) {
  if (only && only !== f.name) continue;
  const scratch = mkdtempSync(join(tmpdir(), `sidenet-attach-${f.name}-`));
  try {
    const train = f.split("train");
    const calibration = f.split("validation");
    const t0 = performance.now();
    await f.attach(mainnetDir(f), join(scratch, "artefact"), train, calibration);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `attach ${f.name}: ${s.toFixed(1)} s (${train.length} train + ${calibration.length} calibration rows)`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
