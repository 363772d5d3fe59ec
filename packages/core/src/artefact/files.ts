/**
 * File names inside an artefact directory: the one place that knows them (writers, loaders and the
 * cleanup of older writes all ask here). See docs/artefact-format.md § "File layout".
 */

/** The manifest: the only file that names the others (written last, atomically). */
export const SIDENET_JSON = "sidenet.json";
/** The whole cascade sweep, beside sidenet.json (for reports; loaders do not need it). */
export const SWEEP_JSON = "sweep.json";
/** Heads file of artefacts that name none (`heads` absent in sidenet.json). */
export const HEADS_FILE = "heads.safetensors";

/** File-name suffix transformers.js appends per dtype (`onnx/<name><suffix>.onnx`). */
export const DTYPE_SUFFIX: Readonly<Record<string, string>> = Object.freeze({
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
});

/** The suffix of `dtype` (transformers.js's rule for dtypes it does not list: `_<dtype>`). */
export const dtypeSuffix = (dtype: string): string => DTYPE_SUFFIX[dtype] ?? `_${dtype}`;

/** The MainNet's graph for `dtype`, relative to the artefact (e.g. `onnx/model_quantized.onnx`). */
export const mainnetFile = (dtype: string): string => `onnx/model${dtypeSuffix(dtype)}.onnx`;

/** Segment `index` of write `id` for `dtype`: `onnx/sidenet_<id>_segment_<index><suffix>.onnx`. */
export const segmentFile = (id: string, index: number, dtype: string): string =>
  `onnx/sidenet_${id}_segment_${index}${dtypeSuffix(dtype)}.onnx`;

/** Heads of write `id`: `heads_<id>.safetensors`. */
export const headsFile = (id: string): string => `heads_${id}.safetensors`;

/**
 * The name transformers.js's `from_pretrained(dir, { model_file_name, dtype })` is given for a segment
 * file of `dtype` (its path without `onnx/` and the dtype suffix), or undefined when `file` is not a
 * segment file of that dtype (older writes without an id are accepted: `sidenet_segment_<i>`).
 */
export function segmentModelName(file: string, dtype: string): string | undefined {
  const suffix = dtypeSuffix(dtype).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^onnx/(sidenet_[\\w-]*segment_\\d+)${suffix}\\.onnx$`).exec(file)?.[1];
}

/** The MainNet graph of `dtype` beside `manifest.mainnet.file` (fp32), e.g. `onnx/model_quantized.onnx`. */
export const mainnetGraph = (manifest: { mainnet: { file: string } }, dtype: string): string =>
  manifest.mainnet.file.replace(/\.onnx$/, `${dtypeSuffix(dtype)}.onnx`);

/** The `model_file_name` transformers.js loads a MainNet file of the artefact's `onnx/` folder by. */
export const mainnetModelName = (file: string): string => file.replace(/^onnx\//, "").replace(/\.onnx$/, "");

/** Whether `file` is a plain file of the artefact's `onnx/` folder (no sub-folder, no `..`). */
export const isOnnxFile = (file: string): boolean =>
  /^onnx\/[\w.-]+\.onnx$/.test(file) && !file.includes("..");

/** Whether `name` (a bare file name) is a heads file name the manifest may give. */
export const isHeadsFileName = (name: string): boolean => /^[\w-]+(\.[\w-]+)*\.safetensors$/.test(name);

/**
 * Files of ours in the artefact's top folder or `onnx/`: segments and heads of any write, with or
 * without an id (the cleanup after a write removes those the new manifest does not name).
 */
export const isOurFile = (name: string): boolean =>
  /^(sidenet_[0-9a-f]+_segment_\d+.*\.onnx|sidenet_segment_\d+.*\.onnx|heads(_[0-9a-f]+)?\.safetensors)$/.test(
    name,
  );

/** Temporary files of interrupted atomic writes (`writeFileAtomic`). */
export const isTempFile = (name: string): boolean => /^\.\d+\.\d+\.tmp$/.test(name);

/** MainNet files copied into an artefact besides the graphs: its JSON and text files, not ours. */
export const isMainNetSideFile = (name: string): boolean =>
  (name.endsWith(".json") || name.endsWith(".txt")) && name !== SIDENET_JSON && name !== SWEEP_JSON;
