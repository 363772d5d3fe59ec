import { cell, readTable, readTableSync, type Table, type TableFormat } from "@sidenet/core/node";

/** A labelled text row: `{"text": "...", "label": "spam"}`; `at` says where it came from, for messages. */
export interface TextRow {
  text: string;
  /** A label name of the MainNet's id2label, or one of its ids. */
  label: string;
  /** Where the row is in its file (`"reviews.csv line 12"`). */
  at?: string;
}

/** Which columns of a data file hold the text and the label. */
export interface TextColumns {
  /** Default `"text"`. */
  textColumn?: string;
  /** Default `"label"`. */
  labelColumn?: string;
}

function textRows(table: Table, o: TextColumns): TextRow[] {
  const textColumn = o.textColumn ?? "text";
  const labelColumn = o.labelColumn ?? "label";
  return table.rows.map((_, i) => ({
    text: cell(table, i, textColumn, "--text-column"),
    label: cell(table, i, labelColumn, "--label-column"),
    at: table.where(i),
  }));
}

/**
 * Reads labelled text rows from a CSV/TSV (header row), JSON Lines or Parquet file, the text and label
 * from the named columns. A bad row fails with the file, line (or row) and column.
 *
 * @example
 * ```ts
 * const rows = await readTextData("reviews.csv", { textColumn: "review", labelColumn: "sentiment" });
 * ```
 */
export async function readTextData(
  file: string,
  o: TextColumns & { format?: TableFormat } = {},
): Promise<TextRow[]> {
  return textRows(await readTable(file, o.format), o);
}

/** Reads a JSON Lines file of `{text, label}` rows (other fields ignored) — {@link readTextData}, synchronously. */
export function readTextJsonl(path: string, o: TextColumns = {}): TextRow[] {
  return textRows(readTableSync(path, "jsonl"), o);
}
