/**
 * File pins: sidenet.json's `files` maps every file the artefact's loading reads (the MainNet's graphs,
 * the segments of every dtype, the heads, config.json and the pre-processing files) to the sha256 of its
 * bytes. The one place that decides which files are pinned and checks a file against its pin; runs
 * anywhere (WebCrypto: Node ≥ 20 and secure browser contexts).
 */
import { CorruptArtefactError, SideNetError } from "../errors.js";
import { isMainNetSideFile, SIDENET_JSON } from "./files.js";
import type { SideNetManifest } from "./format.js";
import { type ArtefactFiles, hex } from "./source.js";

/** Hex sha256 of `bytes`, through WebCrypto (`crypto.subtle`). */
export async function sha256Hex(bytes: Uint8Array, where: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new SideNetError(
      "UNSUPPORTED",
      `${where}: cannot check its sha256: crypto.subtle exists only in secure contexts. Serve the page over https (or from localhost).`,
    );
  }
  return hex(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** Whether `file` is a path a pin may name: relative, inside the artefact, no `..`, no backslash. */
export const isPinnablePath = (file: string): boolean =>
  /^[\w.-]+(\/[\w.-]+)*$/.test(file) && !file.split("/").includes("..");

/**
 * The pre-processing and config files of the artefact that the manifest pins (config.json, tokenizer and
 * processor files: the MainNet's JSON and text files), in a stable order.
 */
export const pinnedSideFiles = (manifest: SideNetManifest): string[] =>
  Object.keys(manifest.files ?? {})
    .filter((f) => !f.includes("/") && isMainNetSideFile(f))
    .sort();

/** The pin of `file`, refusing a file the manifest does not pin. */
function pinOf(source: ArtefactFiles, pins: Record<string, string>, file: string): string {
  const want = Object.hasOwn(pins, file) ? pins[file] : undefined;
  if (want === undefined) {
    throw new CorruptArtefactError(
      source.where(SIDENET_JSON),
      `field \`files\` does not pin "${file}", which loading reads; every file must be pinned. Re-run \`sidenet attach\`.`,
    );
  }
  return want;
}

/**
 * Checks `bytes` of `file` against its pin. Artefacts written before pins existed (no `files`) pass;
 * with `files`, a file the loader reads must be pinned and must hash to its pin.
 */
export async function checkPin(
  source: ArtefactFiles,
  manifest: SideNetManifest,
  file: string,
  bytes: Uint8Array,
): Promise<void> {
  const pins = manifest.files;
  if (!pins) return;
  const want = pinOf(source, pins, file);
  const got = await sha256Hex(bytes, source.where(file));
  if (got !== want) throw mismatch(source, file, got, want);
}

const mismatch = (source: ArtefactFiles, file: string, got: string, want: string) =>
  new CorruptArtefactError(
    source.where(file),
    `hashes to ${got}, but sidenet.json field \`files["${file}"]\` pins ${want}: the file was damaged, truncated or replaced since the SideNet was attached. Restore the file, or re-run \`sidenet attach\`.`,
  );

const missingFile = (source: ArtefactFiles, file: string, field: string) =>
  new CorruptArtefactError(
    source.where(file),
    `is missing (sidenet.json field \`${field}\`). Restore the file, or re-run \`sidenet attach\`.`,
  );

/** Reads `file`, refusing a missing file (naming the manifest field that needs it) or a pin mismatch. */
export async function readPinned(
  source: ArtefactFiles,
  manifest: SideNetManifest,
  file: string,
  field: string,
): Promise<Uint8Array> {
  const bytes = await source.read(file);
  if (!bytes) throw missingFile(source, file, field);
  await checkPin(source, manifest, file, bytes);
  return bytes;
}

/**
 * Checks every pinned config and pre-processing file (tokenizer, processor): present and unchanged. Of
 * `preprocessing` (the files the task's pre-processing reads), one the artefact has but does not pin is
 * refused too, so that no file loading reads goes unchecked.
 */
export async function checkSideFiles(
  source: ArtefactFiles,
  manifest: SideNetManifest,
  preprocessing: readonly string[] = [],
): Promise<void> {
  const pinned = pinnedSideFiles(manifest);
  for (const f of pinned) await readPinned(source, manifest, f, `files["${f}"]`);
  if (!manifest.files) return;
  // config.json is always read (readConfig): it must be pinned like the pre-processing files
  for (const f of ["config.json", ...preprocessing]) {
    if (!pinned.includes(f) && (await source.exists(f))) pinOf(source, manifest.files, f);
  }
}

/**
 * Checks a large file (a graph) against its pin by its hash alone, without keeping its bytes: a missing
 * file names the manifest field that needs it. Artefacts without pins: only that the file is there
 * (`local` sources; a fetched file's absence shows when transformers.js loads it).
 */
export async function checkPinnedFile(
  source: ArtefactFiles,
  manifest: SideNetManifest,
  file: string,
  field: string,
): Promise<void> {
  const pins = manifest.files;
  if (!pins && !source.local) return;
  const missing = () => missingFile(source, file, field);
  if (!pins) {
    if (!(await source.exists(file))) throw missing();
    return;
  }
  const want = pinOf(source, pins, file);
  const got = await source.sha256(file);
  if (got === undefined) throw missing();
  if (got !== want) throw mismatch(source, file, got, want);
}
