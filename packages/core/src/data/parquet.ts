import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InvalidArgumentError } from "../errors.js";
import type { Table } from "./table.js";

/**
 * A Parquet file, read by hyparquet (snappy, gzip, zstd, brotli, lz4 pages). Strings stay strings; binary
 * columns (image bytes) stay `Uint8Array`.
 */
export async function readParquet(file: string): Promise<Table> {
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    const rows = (await parquetReadObjects({ file: buffer, metadata, compressors, utf8: false })) as Record<
      string,
      unknown
    >[];
    return { file, columns, rows, where: (i) => `${file} row ${i + 1}` };
  } catch (e) {
    throw new InvalidArgumentError(`${file}: not a readable Parquet file (${(e as Error).message}).`, {
      cause: e,
    });
  }
}
