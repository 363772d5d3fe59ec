import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type ExitSpec, FORMAT_VERSION, SIDENET_JSON, type SideNetManifest } from "../artefact/format.js";
import { sha256File, writeFileAtomic } from "../artefact/fs.js";
import { headsToSafetensors } from "../artefact/heads.js";
import { InvalidArgumentError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { decodeModel } from "../onnx/graph.js";
import { splitModel } from "../onnx/split.js";
import { SWEEP_JSON, type SweepRecord } from "../selection/record.js";
import { DTYPE_SUFFIX } from "./artefact-checks.js";

/** Files of ours in an artefact: versioned segments and heads, and the unversioned ones of older writes. */
const OURS =
  /^(sidenet_[0-9a-f]+_segment_\d+.*\.onnx|sidenet_segment_\d+.*\.onnx|heads(_[0-9a-f]+)?\.safetensors)$/;

/**
 * Writes an artefact into `out` so that a crash at any point leaves the previous one loadable and
 * unchanged: segments and heads of this write get names of their own (`sidenet_<id>_segment_<i>.onnx`,
 * `heads_<id>.safetensors`), every file is written to a temporary name and renamed, MainNet files are
 * replaced only when their bytes differ, and sidenet.json — the only file that names the others — is
 * renamed into place last: that rename is the commit. Files of older writes (and temporary files of
 * interrupted ones) are removed after it.
 */
export function writeArtefact(
  task: string,
  mainnet: string,
  out: string,
  exits: ExitSpec[],
  heads: MlpHead[],
  calibration: Record<string, unknown>,
  selection: Record<string, unknown>,
  sweep: SweepRecord,
): SideNetManifest {
  if (!existsSync(join(mainnet, "onnx", "model.onnx"))) {
    throw new InvalidArgumentError(`attach: ${join(mainnet, "onnx", "model.onnx")} not found.`);
  }
  mkdirSync(join(out, "onnx"), { recursive: true });
  const id = randomBytes(4).toString("hex");
  const put = (rel: string, bytes: Uint8Array | string) => writeFileAtomic(join(out, rel), bytes);
  const putIfChanged = (rel: string, src: string) => {
    const bytes = readFileSync(src);
    const dst = join(out, rel);
    if (!existsSync(dst) || !readFileSync(dst).equals(bytes)) put(rel, bytes);
  };
  for (const f of readdirSync(mainnet)) {
    if ((f.endsWith(".json") || f.endsWith(".txt")) && f !== SIDENET_JSON) putIfChanged(f, join(mainnet, f));
  }
  const taps = exits.map((e) => e.tap);
  const segments: Record<string, string[]> = {};
  let split: ReturnType<typeof splitModel> | undefined;
  for (const dtype of ["fp32", "q8"] as const) {
    const suffix = DTYPE_SUFFIX[dtype]!;
    const file = `model${suffix}.onnx`;
    const src = join(mainnet, "onnx", file);
    if (!existsSync(src)) continue;
    putIfChanged(join("onnx", file), src);
    const s = splitModel(decodeModel(readFileSync(src)), taps);
    if (dtype === "fp32") split = s;
    segments[dtype] = s.segments.map((seg, i) => {
      const name = `onnx/sidenet_${id}_segment_${i}${suffix}.onnx`;
      put(name, seg.bytes);
      return name;
    });
  }
  const headsFile = `heads_${id}.safetensors`;
  put(headsFile, headsToSafetensors(heads.map((head, i) => ({ prefix: exits[i]!.weights, head }))));
  const config = JSON.parse(readFileSync(join(mainnet, "config.json"), "utf8")) as {
    id2label: Record<string, string>;
  };
  const manifest: SideNetManifest = {
    format_version: FORMAT_VERSION,
    task,
    mainnet: { file: "onnx/model.onnx", sha256: sha256File(join(mainnet, "onnx", "model.onnx")) },
    segments,
    heads: headsFile,
    segment_inputs: split!.segments.map((s) => s.inputs),
    carried: split!.carried,
    exits,
    id2label: config.id2label,
    calibration,
    selection,
    created_by: "sidenet 0.1.0",
  };
  put(SWEEP_JSON, `${JSON.stringify(sweep)}\n`);
  put(SIDENET_JSON, `${JSON.stringify(manifest, null, 2)}\n`);
  // committed: remove what older writes left (never a file the new manifest names)
  const keep = new Set([
    headsFile,
    ...Object.values(segments)
      .flat()
      .map((f) => f.replace(/^onnx\//, "")),
  ]);
  for (const dir of [out, join(out, "onnx")]) {
    for (const f of readdirSync(dir)) {
      const stale = (OURS.test(f) && !keep.has(f)) || /^\.\d+\.\d+\.tmp$/.test(f);
      if (stale) rmSync(join(dir, f), { force: true });
    }
  }
  return manifest;
}
