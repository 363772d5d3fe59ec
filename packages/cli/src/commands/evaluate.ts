import { basename, join } from "node:path";
import { InvalidArgumentError } from "@sidenet/core";
import { type SideNetManifest, SWEEP_JSON } from "@sidenet/core/artefact";
import type { Evaluation } from "@sidenet/core/attach";
import { isLocalDir } from "@sidenet/core/attach";
import { hubCacheDir, openArtefact } from "@sidenet/core/node";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import type { CliOptions } from "../options.js";
import { printEvaluation, printPolicies } from "../print.js";
import { reportData } from "../report/data.js";
import { writeReport } from "../report/render.js";
import { readRows } from "../rows.js";

/** `sidenet eval` / `report`: an artefact (a directory, or a hub id) on labelled rows. */
export async function evaluate(o: CliOptions): Promise<void> {
  const options = { dtype: o.dtype, ...(o.revision ? { revision: o.revision } : {}) };
  // the artefact first (its task says how to read the data); a hub id loads through transformers.js
  const textModel = () => text.SideNetForSequenceClassification.from_pretrained(o.target, options);
  let model = await textModel().catch(async (e: unknown) => {
    // an image artefact refuses the text loader with INCOMPATIBLE_MODEL naming its task
    if ((e as { code?: string }).code !== "INCOMPATIBLE_MODEL") throw e;
    return vision.SideNetForImageClassification.from_pretrained(o.target, options);
  });
  const manifest: SideNetManifest = model.manifest;
  let r: Evaluation;
  try {
    if (manifest.task === "image-classification") {
      const rows = (await readRows("image", o.data!, o)) as vision.ImageRow[];
      r = await vision.evaluateVisionSideNet(model, o.target, rows, o.batch);
    } else {
      const rows = (await readRows("text", o.data!, o)) as text.TextRow[];
      r = await text.evaluateTextSideNet(model, o.target, rows, o.batch);
    }
  } finally {
    await model.dispose();
    model = undefined as never;
  }
  if (o.command === "report") {
    const local = isLocalDir(o.target);
    // a hub artefact: its sidenet.json is in transformers.js's cache now; sweep.json is fetched there too
    const dir = local ? o.target : hubCacheDir(o.target, o.revision);
    if (!local) await openArtefact(o.target, { revision: o.revision }).read(SWEEP_JSON);
    if (!dir)
      throw new InvalidArgumentError(
        `report on ${o.target} needs transformers.js's file cache (env.useFSCache).`,
      );
    const out = o.out ?? (local ? join(o.target, "report") : `${basename(o.target)}-report`);
    const data = reportData(o.name ?? basename(o.target), dir, r, o.resamples);
    for (const f of await writeReport(data, out)) console.log(`wrote ${f}`);
    return;
  }
  if (o.json) console.log(JSON.stringify({ ...r, raw: undefined }, null, 2));
  else {
    printEvaluation(r);
    printPolicies(manifest);
  }
}
