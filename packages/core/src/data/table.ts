import { existsSync, statSync } from "node:fs";
import { extname } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { readCsv } from "./csv.js";
import { readJsonl } from "./jsonl.js";
import { readParquet } from "./parquet.js";

/** A data file read as rows of named columns, with where each row came from. */
export interface Table {
  /** The file, as the user named it. */
  readonly file: string;
  /** Column names (CSV/TSV header, Parquet schema, the union of JSONL keys). */
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  /** Where row `i` is in the file, for messages: `"reviews.csv line 12"`, `"train.parquet row 7"`. */
  where(i: number): string;
}

/** The data formats {@link readTable} reads, by file extension. */
export const TABLE_FORMATS = {
  ".csv": "CSV with a header row",
  ".tsv": "TSV with a header row",
  ".jsonl": "JSON Lines, one object per line",
  ".ndjson": "JSON Lines, one object per line",
  ".parquet": "Parquet (the format of datasets on the Hugging Face hub)",
} as const;

/** A format {@link readTable} reads. */
export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet";

function formatOf(file: string): TableFormat {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv" || ext === ".jsonl" || ext === ".parquet")
    return ext.slice(1) as TableFormat;
  if (ext === ".ndjson") return "jsonl";
  throw new InvalidArgumentError(
    `${file}: the extension "${ext}" is not a data format sidenet reads; expected ${Object.entries(
      TABLE_FORMATS,
    )
      .map(([e, what]) => `${e} (${what})`)
      .join(", ")}.`,
  );
}

/**
 * Reads a data file — CSV/TSV (quoted fields, embedded newlines, a BOM), JSON Lines or Parquet — by its
 * extension (or `format`). A malformed file fails with a message naming the file and line or row.
 *
 * @example
 * ```ts
 * const table = await readTable("reviews.csv");
 * table.columns; // ["review", "stars"]
 * ```
 */
export async function readTable(file: string, format: TableFormat = formatOf(file)): Promise<Table> {
  if (format !== "parquet") return readTableSync(file, format);
  checkFile(file);
  return readParquet(file);
}

/** {@link readTable} for the text formats (CSV, TSV, JSON Lines), synchronously. */
export function readTableSync(
  file: string,
  format: Exclude<TableFormat, "parquet"> = textFormatOf(file),
): Table {
  checkFile(file);
  if (format === "csv" || format === "tsv") return readCsv(file, format === "tsv" ? "\t" : ",");
  return readJsonl(file);
}

function textFormatOf(file: string): Exclude<TableFormat, "parquet"> {
  const f = formatOf(file);
  if (f === "parquet")
    throw new InvalidArgumentError(`${file}: Parquet is read asynchronously; use readTable.`);
  return f;
}

function checkFile(file: string): void {
  if (!existsSync(file)) throw new InvalidArgumentError(`${file} does not exist.`);
  if (statSync(file).isDirectory()) {
    throw new InvalidArgumentError(
      `${file} is a directory; expected a data file (.csv, .tsv, .jsonl, .parquet).`,
    );
  }
}

/**
 * The string in column `column` of row `i`: strings as they are, numbers, booleans and bigints in decimal.
 * A missing column names the columns present and the option that chooses one; an empty or non-scalar
 * value names the row.
 */
export function cell(table: Table, i: number, column: string, option: string): string {
  const row = table.rows[i]!;
  if (!(column in row)) {
    const present = table.columns.includes(column);
    throw new InvalidArgumentError(
      present
        ? `${table.where(i)}: no value in column "${column}".`
        : `${table.file} has no column "${column}" (columns: ${table.columns.join(", ")}); choose one with ${option}.`,
    );
  }
  const v = row[column];
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  throw new InvalidArgumentError(
    `${table.where(i)}: column "${column}" is ${v === null ? "null" : typeof v}; expected a string or a number.`,
  );
}
