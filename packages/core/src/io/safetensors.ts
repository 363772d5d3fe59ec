import { CorruptArtefactError, invalid } from "../errors.js";

/** Element types supported in safetensors files. */
export type SafetensorsDtype = "F32" | "F64" | "I32" | "I64" | "U8" | "I8";

/** A tensor read from or written to a safetensors file. */
export type SafetensorsTensor =
  | { dtype: "F32"; shape: number[]; data: Float32Array }
  | { dtype: "F64"; shape: number[]; data: Float64Array }
  | { dtype: "I32"; shape: number[]; data: Int32Array }
  | { dtype: "I64"; shape: number[]; data: BigInt64Array }
  | { dtype: "U8"; shape: number[]; data: Uint8Array }
  | { dtype: "I8"; shape: number[]; data: Int8Array };

/** Contents of a safetensors file. */
export interface Safetensors {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, I8: 1 };
const CTOR = {
  F32: Float32Array,
  F64: Float64Array,
  I32: Int32Array,
  I64: BigInt64Array,
  U8: Uint8Array,
  I8: Int8Array,
} as const;
/** Headers larger than this are refused (the reference implementation uses 100 MB). */
const MAX_HEADER = 100_000_000;

/**
 * Serialises tensors to the safetensors format (8-byte little-endian header length, JSON header,
 * raw little-endian data; tensors laid out in name order, header padded to 8 bytes).
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  // null prototype: a tensor may be called "__proto__" (an own key in JSON, a setter on a plain object)
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__")
      invalid("writeSafetensors", "tensors", name, "names other than __metadata__");
    const t = tensors[name]!;
    if (!(t.dtype in BYTES))
      invalid("writeSafetensors", `${name}.dtype`, t.dtype, Object.keys(BYTES).join(", "));
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      invalid("writeSafetensors", `${name}.shape`, `[${t.shape}]`, `a shape with ${t.data.length} elements`);
    }
    const size = count * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parses a safetensors file, checking the header length, every dtype, shape and offset, and that
 * tensors neither overlap nor leave gaps. Data is copied out, so the result does not alias `bytes`.
 * Errors are {@link CorruptArtefactError}s naming `file` and the offending field.
 */
export function readSafetensors(bytes: Uint8Array, file = "<safetensors>"): Safetensors {
  const bad = (msg: string): never => {
    throw new CorruptArtefactError(
      file,
      `${msg} The file is damaged or not safetensors; rewrite it (e.g. re-run \`sidenet attach\`).`,
    );
  };
  if (bytes.length < 8) bad(`${bytes.length} bytes is too short for the 8-byte header length.`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    bad(`header length ${n} exceeds the ${bytes.length - 8} bytes after it (limit ${MAX_HEADER}).`);
  }
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch (e) {
    return bad(`header is not valid UTF-8 JSON (${(e as Error).message}).`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    return bad("header is not a JSON object.");
  const dataLength = bytes.length - headerEnd;
  const tensors: Record<string, SafetensorsTensor> = Object.create(null);
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof raw !== "object" || raw === null || Object.values(raw).some((v) => typeof v !== "string")) {
        bad("__metadata__ must map strings to strings.");
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info?.dtype as SafetensorsDtype;
    if (typeof dtype !== "string" || !(dtype in BYTES)) {
      bad(
        `tensor "${name}": dtype ${JSON.stringify(info?.dtype)} is not one of ${Object.keys(BYTES).join(", ")}.`,
      );
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      bad(`tensor "${name}": shape ${JSON.stringify(shape)} is not a list of non-negative integers.`);
    }
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || offs.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      bad(`tensor "${name}": data_offsets ${JSON.stringify(offs)} is not [begin, end] with integers ≥ 0.`);
    }
    const [begin, end] = offs as [number, number];
    if (end < begin || end > dataLength) {
      bad(`tensor "${name}": data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes.`);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * BYTES[dtype] !== end - begin) {
      bad(
        `tensor "${name}": shape [${shape}] of ${dtype} needs ${count * BYTES[dtype]} bytes, offsets give ${end - begin}.`,
      );
    }
    spans.push([begin, end, name]);
    // a copy at offset 0 of its own buffer (a Node Buffer's `slice` is a view into the file's bytes)
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(headerEnd + begin, headerEnd + end));
    const data = new CTOR[dtype](copy.buffer, 0, count);
    tensors[name] = { dtype, shape: shape as number[], data } as SafetensorsTensor;
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== cursor) {
      bad(
        `tensor "${name}" starts at ${begin}, expected ${cursor}: tensors ${begin < cursor ? "overlap" : "leave a gap"}.`,
      );
    }
    cursor = end;
  }
  if (cursor !== dataLength) bad(`tensors cover ${cursor} of the ${dataLength} data bytes.`);
  return { tensors, metadata };
}
