import { ShapeMismatchError } from "../errors.js";

/** A row-major matrix of `rows × cols` float32 values. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Wraps `data` as a `rows × (data.length / rows)` matrix, checking that the sizes agree. */
export function matrix(data: Float32Array, rows: number, cols: number, what = "matrix"): Matrix {
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(cols) ||
    rows < 0 ||
    cols < 0 ||
    data.length !== rows * cols
  ) {
    throw new ShapeMismatchError(
      `${what}: ${data.length} values cannot form ${rows} × ${cols}; pass rows and cols whose product is the data length.`,
    );
  }
  return { data, rows, cols };
}

/** Copies rows `indices` of `m` into a new matrix (row compaction). */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: indices.length, cols: m.cols };
}
