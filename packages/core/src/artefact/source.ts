/**
 * Where an artefact's files come from. Node reads a local directory ({@link localArtefact} in
 * `@sidenet/core/node`); the browser fetches them as transformers.js fetches models
 * (`remoteArtefact` in `@sidenet/core/runtime`). ONNX segments always load through transformers.js itself
 * (`from_pretrained(files.id, …)`); the source reads only sidenet.json, config.json, the heads file and,
 * to check its hash, the MainNet.
 */
export interface ArtefactFiles {
  /** What transformers.js's `from_pretrained` is given: a local directory, or a model id / URL path. */
  readonly id: string;
  /**
   * True when reading a file is cheap (a local disk): the MainNet's hash is then checked at load time.
   * Over the network it is checked when the unsplit MainNet is first needed (every τ ≥ 1), so a page does
   * not download the whole MainNet just to verify it.
   */
  readonly local: boolean;
  /** How `file` (relative to the artefact, e.g. "onnx/model.onnx") is named in error messages. */
  where(file: string): string;
  /** The file's bytes, or undefined when the artefact has no such file. */
  read(file: string): Promise<Uint8Array | undefined>;
  /** Whether the artefact has `file`. */
  exists(file: string): Promise<boolean>;
  /** Hex sha256 of the file's bytes (undefined when there is no such file). */
  sha256(file: string): Promise<string | undefined>;
}

/** Hex of a digest. */
export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = "";
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, "0");
  return s;
}
