import { describePoint } from "@sidenet/core/artefact";
import { resolveMainNet } from "@sidenet/core/attach";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import { taskFor, taskOf } from "../architectures.js";
import type { CliOptions } from "../options.js";
import { attachRows } from "../rows.js";

/**
 * `sidenet attach` / `sweep`: the MainNet (a directory, or downloaded by id), the data read, then the
 * attach (which checks the labels against the MainNet's id2label before the first feature is extracted).
 */
export async function attach(o: CliOptions): Promise<void> {
  const log = (l: string) => console.error(l);
  const task = o.task ? taskOf(".", o.task) : undefined;
  const resolved = await resolveMainNet(o.target, {
    revision: o.revision,
    cacheDir: o.cacheDir,
    task,
    taskFor,
    log,
    ...(o.dtypes ? { dtypes: o.dtypes } : {}),
  });
  const modality = taskOf(resolved.dir, o.task) === "image-classification" ? "image" : "text";
  const rows = await attachRows(modality, o);
  log(
    `heads train on ${rows.train.length} rows of ${rows.trainName}; temperature and τ are fitted on ${rows.calibration.length} rows of ${rows.calibrationName} (rows the MainNet must never have trained on)`,
  );
  const common = {
    mainnet: resolved,
    out: o.out!,
    taps: o.taps,
    poolings: o.poolings,
    ...(o.dtypes ? { dtypes: o.dtypes } : {}),
    // the budget as given (attach's default, 0.5 pt, when none is)
    maxDrop: o.maxDrop,
    maxCost: o.maxCost,
    minAgreement: o.minAgreement,
    ...(o.risk !== undefined ? { risk: o.risk } : {}),
    maxExits: o.maxExits,
    criteria: o.criteria,
    seed: o.seed,
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(o.attachCache !== undefined ? { attachCache: o.attachCache } : {}),
    trainName: rows.trainName,
    calibrationName: rows.calibrationName,
    ...(rows.splitOff ? { splitOff: rows.splitOff } : {}),
  };
  const { manifest, sweep } =
    modality === "image"
      ? await vision.attachVisionSideNet({
          ...common,
          train: rows.train as vision.ImageRow[],
          calibration: rows.calibration as vision.ImageRow[],
        })
      : await text.attachTextSideNet({
          ...common,
          train: rows.train as text.TextRow[],
          calibration: rows.calibration as text.TextRow[],
        });
  if (o.command === "sweep") {
    console.log(
      `Pareto front on ${sweep.rows} calibration rows (cost: expected share of the MainNet's FLOPs, heads included):`,
    );
    for (const p of sweep.front)
      console.log(
        `  ${p === sweep.front.find((q) => q.cost === sweep.chosen.cost && q.accuracy === sweep.chosen.accuracy) ? "*" : " "} ${describePoint(p)}`,
      );
  }
  console.log(`chosen: ${describePoint(sweep.chosen)}`);
  console.log(`wrote ${o.out} (${manifest.exits.length} exit${manifest.exits.length > 1 ? "s" : ""})`);
}
