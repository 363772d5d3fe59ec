/**
 * Reading an artefact through an {@link ArtefactFiles} source (a local directory, or fetched files):
 * the manifest, config.json, the heads, and the checks that tie them to the MainNet and the segment
 * graphs. Every failure names the file, the field and the fix.
 */
import { CorruptArtefactError, IncompatibleModelError, SideNetError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { type Architecture, findArchitecture } from "../models/architecture.js";
import { HEADS_FILE, isOnnxFile, SIDENET_JSON, segmentFile, segmentModelName } from "./files.js";
import type { SideNetManifest } from "./format.js";
import { headsFromSafetensors } from "./heads.js";
import { checkPinnedFile, readPinned } from "./pins.js";
import type { ArtefactFiles } from "./source.js";
import { parseManifest } from "./validate.js";

/** sidenet.json of `files`, parsed and validated (an IncompatibleModelError when there is none). */
export async function readManifest(files: ArtefactFiles): Promise<SideNetManifest> {
  const path = files.where(SIDENET_JSON);
  const bytes = await files.read(SIDENET_JSON);
  if (!bytes) {
    throw new IncompatibleModelError(
      `${path} not found: "${files.id}" is not a SideNet artefact. Create one with \`sidenet attach\`.`,
    );
  }
  const manifest = parseManifest(new TextDecoder().decode(bytes), path);
  if (!isOnnxFile(manifest.mainnet.file)) {
    throw new CorruptArtefactError(
      path,
      `field \`mainnet.file\` is ${JSON.stringify(manifest.mainnet.file)}; expected a file in the artefact's onnx/ folder, e.g. "onnx/model.onnx". Re-run \`sidenet attach\`.`,
    );
  }
  return manifest;
}

/** The artefact's config.json, checked to be there and to parse (its pin: `checkSideFiles`, before). */
export async function readConfig(files: ArtefactFiles): Promise<Record<string, unknown>> {
  const file = files.where("config.json");
  const bytes = await files.read("config.json");
  if (!bytes) {
    throw new CorruptArtefactError(
      file,
      "is missing: copy the MainNet's config.json back or re-run `sidenet attach`.",
    );
  }
  try {
    const config: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof config !== "object" || config === null || Array.isArray(config))
      throw new Error("not an object");
    return config as Record<string, unknown>;
  } catch (e) {
    throw new CorruptArtefactError(
      file,
      `is not a valid config (${(e as Error).message}). Copy the MainNet's config.json back or re-run \`sidenet attach\`.`,
      { cause: e },
    );
  }
}

/** The heads the manifest's exits name, from its heads file. */
export async function readHeads(files: ArtefactFiles, manifest: SideNetManifest): Promise<MlpHead[]> {
  const name = manifest.heads ?? HEADS_FILE;
  const bytes = await readPinned(files, manifest, name, "heads");
  return headsFromSafetensors(bytes, manifest.exits, files.where(name));
}

/** The MainNet file is there and is the one the SideNet was attached to (sidenet.json `mainnet.sha256`). */
export async function checkMainNet(files: ArtefactFiles, manifest: SideNetManifest): Promise<void> {
  const hash = await files.sha256(manifest.mainnet.file);
  if (hash === undefined) {
    throw new CorruptArtefactError(
      files.where(manifest.mainnet.file),
      "is missing (sidenet.json field `mainnet.file`). Copy the MainNet back or re-run `sidenet attach`.",
    );
  }
  if (hash !== manifest.mainnet.sha256) {
    throw new CorruptArtefactError(
      files.where(SIDENET_JSON),
      `field \`mainnet.sha256\` is ${manifest.mainnet.sha256} but ${manifest.mainnet.file} hashes to ${hash}: the MainNet changed since the SideNet was attached. Re-run \`sidenet attach\`.`,
    );
  }
}

/** The input and output names of a loaded segment graph. */
export interface GraphNames {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/**
 * Checks the loaded segment graphs against sidenet.json: each reads only what the model takes or an
 * earlier segment produces and what `segment_inputs` lists (the cascade keeps only those), and each
 * produces its exit's tap and folded logits (the last: `logits`). A mismatch would otherwise surface
 * as an ONNX Runtime error at the first call. `graphs[i]` undefined: names unknown, not checked.
 */
export function checkSegments(
  artefact: ArtefactFiles,
  manifest: SideNetManifest,
  files: readonly string[],
  graphs: readonly (GraphNames | undefined)[],
): void {
  const first = graphs[0];
  if (!first) return;
  const available = new Set(first.inputNames);
  for (const [i, s] of graphs.entries()) {
    if (!s) continue;
    const file = artefact.where(files[i]!);
    for (const x of s.inputNames) {
      if (!available.has(x)) {
        throw new CorruptArtefactError(
          file,
          `reads "${x}", which neither the model's inputs nor an earlier segment provide. The segment files do not belong together: re-run \`sidenet attach\`.`,
        );
      }
      if (!manifest.segment_inputs[i]!.includes(x)) {
        throw new CorruptArtefactError(
          artefact.where(SIDENET_JSON),
          `field \`segment_inputs[${i}]\` does not list "${x}", which ${files[i]} reads. Re-run \`sidenet attach\`.`,
        );
      }
    }
    const last = i === graphs.length - 1;
    const want = last ? "logits" : manifest.exits[i]!.tap;
    if (!s.outputNames.includes(want)) {
      throw new CorruptArtefactError(
        file,
        `does not produce "${want}"${last ? "" : ` (sidenet.json field \`exits[${i}].tap\`)`}. Re-run \`sidenet attach\`.`,
      );
    }
    const folded = last ? undefined : manifest.exits[i]!.logits_output;
    if (folded !== undefined && !s.outputNames.includes(folded)) {
      throw new CorruptArtefactError(
        file,
        `does not produce "${folded}" (sidenet.json field \`exits[${i}].logits_output\`). Re-run \`sidenet attach\`.`,
      );
    }
    for (const o of s.outputNames) available.add(o);
  }
}

/** Each exit's pooling fits the taps of the MainNet's architecture, when the registry knows it. */
export function checkPoolings(
  manifest: SideNetManifest,
  file: string,
  modelType: unknown,
  architectures: readonly Architecture[] | undefined,
): void {
  const arch = findArchitecture(architectures, modelType);
  if (!arch) return;
  for (const [i, e] of manifest.exits.entries()) {
    if (!arch.poolings.includes(e.pooling)) {
      throw new CorruptArtefactError(
        file,
        `field \`exits[${i}].pooling\` is "${e.pooling}", which does not fit ${arch.family} taps (${arch.tapLayout}); expected ${arch.poolings.join(" or ")}. Re-run \`sidenet attach\`.`,
      );
    }
  }
}

/**
 * The names transformers.js's `from_pretrained(…, { model_file_name, dtype })` loads the segments of
 * `dtype` by, each checked: a segment file name of ours, present, and matching its pin.
 */
export async function segmentModelNames(
  files: ArtefactFiles,
  manifest: SideNetManifest,
  dtype: string,
): Promise<string[]> {
  const names: string[] = [];
  for (const [i, f] of (manifest.segments[dtype] ?? []).entries()) {
    // transformers.js loads onnx/<name><dtype suffix>.onnx: the manifest must name such a file of ours
    const name = segmentModelName(f, dtype);
    if (name === undefined) {
      throw new CorruptArtefactError(
        files.where(SIDENET_JSON),
        `field \`segments.${dtype}[${i}]\` is ${JSON.stringify(f)}; expected a segment file such as "${segmentFile("<id>", i, dtype)}". Re-run \`sidenet attach\`.`,
      );
    }
    names.push(name);
    await checkPinnedFile(files, manifest, f, `segments.${dtype}[${i}]`);
  }
  return names;
}

/** A failure of ONNX Runtime (through transformers.js) to load the graph `file`, as a SideNetError. */
export function sessionError(file: string, e: unknown): Error {
  if (e instanceof SideNetError) return e;
  return new CorruptArtefactError(
    file,
    `could not be loaded as an ONNX graph (${(e as Error)?.message ?? String(e)}). The file is damaged or not a graph: restore it, or re-run \`sidenet attach\`.`,
    { cause: e },
  );
}
