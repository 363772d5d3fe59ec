import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { MlpHead } from "../head/mlp-head.js";
import type { SweepRecord } from "../selection/record.js";
import {
  headsFile,
  isMainNetSideFile,
  isOurFile,
  isTempFile,
  mainnetFile,
  SIDENET_JSON,
  SWEEP_JSON,
  segmentFile,
} from "./files.js";
import {
  type ArtefactCalibration,
  type ArtefactSelection,
  type ExitSpec,
  FORMAT_VERSION,
  type MainNetSource,
  type SideNetManifest,
} from "./format.js";
import { sha256Of, writeFileAtomic } from "./fs.js";
import { headsToSafetensors } from "./heads.js";
import { parseManifest } from "./validate.js";

/** Everything {@link writeArtefact} writes; the writer chooses every file name. */
export interface WriteArtefactOptions {
  /** The artefact directory (created when missing; a previous artefact there is replaced). */
  out: string;
  task: string;
  /** The MainNet's directory (its JSON and text files and its graph per dtype are copied) and the sha256 of its fp32 graph. */
  mainnet: { dir: string; sha256: string; source?: MainNetSource };
  /** Per dtype (`fp32`, `q8`, …), the segment graphs in cascade order: `exits.length + 1` each. */
  segments: Readonly<Record<string, readonly Uint8Array[]>>;
  /** Tensors each segment reads. */
  segmentInputs: string[][];
  /** Tensors carried across cuts besides the taps. */
  carried: string[];
  /** Carried tensors every row shares (computed from the inputs' shapes only): compaction passes them whole. */
  shared?: string[];
  exits: ExitSpec[];
  /** The head of each exit, stored under `exits[i].weights`. */
  heads: readonly MlpHead[];
  id2label: Record<string, string>;
  calibration: ArtefactCalibration;
  selection: ArtefactSelection;
  /** The whole sweep, written to sweep.json. */
  sweep: SweepRecord;
}

/**
 * Writes an artefact into `out` so that a crash at any point leaves the previous one loadable and
 * unchanged: segments and heads of this write get names of their own (`sidenet_<id>_segment_<i>.onnx`,
 * `heads_<id>.safetensors`), every file is written to a temporary name and renamed, MainNet files are
 * replaced only when their bytes differ, and sidenet.json — the only file that names the others — is
 * renamed into place last: that rename is the commit. Files of older writes (and temporary files of
 * interrupted ones) are removed after it.
 */
export function writeArtefact(o: WriteArtefactOptions): SideNetManifest {
  mkdirSync(join(o.out, "onnx"), { recursive: true });
  const id = randomBytes(4).toString("hex");
  // the pin of every file loading reads (sidenet.json `files`)
  const files: Record<string, string> = {};
  const put = (rel: string, bytes: Uint8Array | string) => writeFileAtomic(join(o.out, rel), bytes);
  const putPinned = (rel: string, bytes: Uint8Array) => {
    files[rel] = sha256Of(bytes);
    put(rel, bytes);
  };
  const putIfChanged = (rel: string, src: string) => {
    const bytes = readFileSync(src);
    files[rel] = sha256Of(bytes);
    const dst = join(o.out, rel);
    if (!existsSync(dst) || !readFileSync(dst).equals(bytes)) put(rel, bytes);
  };
  for (const f of readdirSync(o.mainnet.dir))
    if (isMainNetSideFile(f)) putIfChanged(f, join(o.mainnet.dir, f));
  const segments: Record<string, string[]> = {};
  for (const [dtype, graphs] of Object.entries(o.segments)) {
    putIfChanged(mainnetFile(dtype), join(o.mainnet.dir, mainnetFile(dtype)));
    segments[dtype] = graphs.map((bytes, i) => {
      const name = segmentFile(id, i, dtype);
      putPinned(name, bytes);
      return name;
    });
  }
  if (!files[mainnetFile("fp32")])
    putIfChanged(mainnetFile("fp32"), join(o.mainnet.dir, mainnetFile("fp32")));
  const heads = headsFile(id);
  putPinned(heads, headsToSafetensors(o.heads.map((head, i) => ({ prefix: o.exits[i]!.weights, head }))));
  const manifest: SideNetManifest = {
    format_version: FORMAT_VERSION,
    task: o.task,
    mainnet: {
      file: mainnetFile("fp32"),
      sha256: o.mainnet.sha256,
      ...(o.mainnet.source ? { source: o.mainnet.source } : {}),
    },
    segments,
    heads,
    segment_inputs: o.segmentInputs,
    carried: o.carried,
    ...(o.shared && o.shared.length > 0 ? { shared: o.shared } : {}),
    exits: o.exits,
    id2label: o.id2label,
    calibration: o.calibration,
    selection: o.selection,
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
    created_by: "sidenet 0.1.0",
  };
  put(SWEEP_JSON, `${JSON.stringify(o.sweep)}\n`);
  put(SIDENET_JSON, manifestText(manifest, join(o.out, SIDENET_JSON)));
  // committed: remove what older writes left (never a file the new manifest names)
  const keep = new Set([
    heads,
    ...Object.values(segments)
      .flat()
      .map((f) => f.replace(/^onnx\//, "")),
  ]);
  for (const dir of [o.out, join(o.out, "onnx")]) {
    for (const f of readdirSync(dir)) {
      if ((isOurFile(f) && !keep.has(f)) || isTempFile(f)) rmSync(join(dir, f), { force: true });
    }
  }
  return manifest;
}

/** Replaces sidenet.json of `dir` by `manifest`, atomically (the artefact stays valid with either). */
export function rewriteManifest(dir: string, manifest: SideNetManifest): void {
  writeFileAtomic(join(dir, SIDENET_JSON), manifestText(manifest, join(dir, SIDENET_JSON)));
}

/**
 * sidenet.json's text, checked by the reader's own validation first: the writer never commits a manifest
 * the loader would refuse (the previous artefact stays in place instead).
 */
function manifestText(manifest: SideNetManifest, path: string): string {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  parseManifest(text, path);
  return text;
}
