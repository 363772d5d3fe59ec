import { float16ToFloat32 } from "../math/float16.js";

/** Typed arrays a tensor may hold. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | BigInt64Array
  | BigUint64Array;

/** The part of an ONNX Runtime / transformers.js tensor that sidenet reads. */
export interface TensorLike {
  readonly type: string;
  readonly data: TypedArray;
  readonly dims: readonly number[];
}

/**
 * Rows `rows` (along dim 0) of a tensor's data, in that order: row compaction for any element type.
 * Returns the new data and dims; the caller wraps them in its own tensor class.
 */
export function selectTensorRows(
  t: TensorLike,
  rows: ArrayLike<number>,
): { data: TypedArray; dims: number[] } {
  const dims = [...t.dims];
  const batch = dims[0] ?? 0;
  const rowSize = batch === 0 ? 0 : t.data.length / batch;
  const Ctor = t.data.constructor as { new (n: number): TypedArray };
  const out = new Ctor(rows.length * rowSize);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    (out as Float32Array).set((t.data as Float32Array).subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  dims[0] = rows.length;
  return { data: out, dims };
}

/**
 * A float tap's values as float32: float32 data as is, float16 (the bit patterns ONNX Runtime hands over as
 * `Uint16Array` where the platform has no `Float16Array`) converted; undefined for any other type.
 */
export function floatData(t: TensorLike): Float32Array | undefined {
  if (t.type === "float32" && t.data instanceof Float32Array) return t.data;
  if (t.type !== "float16") return undefined;
  if (t.data instanceof Uint16Array) return float16ToFloat32(t.data);
  return Float32Array.from(t.data as unknown as ArrayLike<number>); // a platform Float16Array
}
