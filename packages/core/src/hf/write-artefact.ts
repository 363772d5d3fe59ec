import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type ExitSpec, FORMAT_VERSION, SIDENET_JSON, type SideNetManifest } from "../artefact/format.js";
import { sha256File, writeFileAtomic } from "../artefact/fs.js";
import { headsToSafetensors } from "../artefact/heads.js";
import { InvalidArgumentError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { foldHead, type PoolingGraphFactory } from "../onnx/fold-head.js";
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
 *
 * With `poolingGraph` (the modality's pooling as ONNX nodes), each exit's pooling and head are also
 * folded into the segment that ends at its tap (`exits[i].logits_output` names the output), so one
 * session call yields both; the heads file stays the reference the graph heads were built from.
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
  poolingGraph?: PoolingGraphFactory,
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
  const folded = poolingGraph
    ? exits.map((e, i) => ({ ...e, logits_output: `sidenet_exit_${i}_logits` }))
    : exits;
  const segments: Record<string, string[]> = {};
  let split: ReturnType<typeof splitModel> | undefined;
  let segmentInputs: string[][] = [];
  for (const dtype of ["fp32", "q8"] as const) {
    const suffix = DTYPE_SUFFIX[dtype]!;
    const file = `model${suffix}.onnx`;
    const src = join(mainnet, "onnx", file);
    if (!existsSync(src)) continue;
    putIfChanged(join("onnx", file), src);
    const model = decodeModel(readFileSync(src));
    const s = splitModel(model, taps);
    const pieces = s.segments.map((seg, i) => {
      const e = folded[i];
      if (!poolingGraph || !e?.logits_output) return { bytes: seg.bytes, inputs: seg.inputs };
      return foldHead(seg.bytes, {
        tap: e.tap,
        pooling: poolingGraph(e.tap, e.pooling, `${e.logits_output}/pool/`),
        head: heads[i]!,
        output: e.logits_output,
        inputInfo: (name) => model.graph!.input?.find((v) => v.name === name),
      });
    });
    if (dtype === "fp32") {
      split = s;
      segmentInputs = pieces.map((p) => p.inputs);
    }
    segments[dtype] = pieces.map((seg, i) => {
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
    segment_inputs: segmentInputs,
    carried: split!.carried,
    exits: folded,
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
