import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { InvalidArgumentError } from "@sidenet/core";
import { cell, readTable, readTableSync, type Table, type TableFormat } from "@sidenet/core/node";

/**
 * A labelled image: a path or URL transformers.js's `RawImage.read` accepts, or the encoded bytes as a
 * `Blob` (a Parquet image column); a label name or id; where it came from, for messages.
 */
export interface ImageRow<Image extends string | Blob = string | Blob> {
  image: Image;
  label: string;
  at?: string;
}

/** Which columns of a data file hold the image and the label. */
export interface ImageColumns {
  /** Default `"image"`: a path (relative to the file) or URL, or a Parquet struct `{bytes, path}`. */
  imageColumn?: string;
  /** Default `"label"`. */
  labelColumn?: string;
}

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"]);

/** An image folder: `<root>/<label>/*.png|jpg|…`, labels in sorted order. */
function readImageFolder(root: string): ImageRow<string>[] {
  const rows: ImageRow<string>[] = [];
  for (const label of readdirSync(root).sort()) {
    const dir = join(root, label);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
        rows.push({ image: join(dir, f), label, at: join(dir, f) });
    }
  }
  if (rows.length === 0) throw new InvalidArgumentError(`${root}: no images in ${root}/<label>/*.png|jpg.`);
  return rows;
}

function imageCell(table: Table, i: number, column: string, base: string): string | Blob {
  const v = table.rows[i]?.[column];
  if (
    v !== null &&
    typeof v === "object" &&
    "bytes" in v &&
    (v as { bytes: unknown }).bytes instanceof Uint8Array
  ) {
    return new Blob([(v as { bytes: Uint8Array<ArrayBuffer> }).bytes]);
  }
  if (v instanceof Uint8Array) return new Blob([v as Uint8Array<ArrayBuffer>]);
  const path = cell(table, i, column, "--image-column");
  return /^[a-z]+:\/\//i.test(path) ? path : resolve(base, path);
}

function imageRows(table: Table, o: ImageColumns): ImageRow[] {
  const imageColumn = o.imageColumn ?? "image";
  const labelColumn = o.labelColumn ?? "label";
  const base = dirname(resolve(table.file));
  return table.rows.map((_, i) => ({
    image: imageCell(table, i, imageColumn, base),
    label: cell(table, i, labelColumn, "--label-column"),
    at: table.where(i),
  }));
}

/**
 * Reads labelled images from an image folder `<root>/<label>/*.png|jpg`, or from a CSV/TSV, JSON Lines or
 * Parquet file whose image column holds paths (relative to the file), URLs, or encoded bytes (the
 * `{bytes, path}` struct of hub datasets' Parquet files).
 *
 * @example
 * ```ts
 * const rows = await readImageData("train.parquet", { imageColumn: "img", labelColumn: "label" });
 * ```
 */
export async function readImageData(
  path: string,
  o: ImageColumns & { format?: TableFormat } = {},
): Promise<ImageRow[]> {
  if (existsSync(path) && statSync(path).isDirectory()) return readImageFolder(path);
  return imageRows(await readTable(path, o.format), o);
}

/**
 * Reads labelled images from a JSON Lines file of `{"image": "<path>", "label": "..."}` rows (paths relative
 * to the file) — the fixture cache format — or from an image folder; {@link readImageData}, synchronously.
 */
export function readImageDataset(path: string, o: ImageColumns = {}): ImageRow<string>[] {
  if (!existsSync(path)) throw new InvalidArgumentError(`${path} does not exist.`);
  if (statSync(path).isDirectory()) return readImageFolder(path);
  // CSV and JSON cells are text: every image is a path or URL here
  return imageRows(readTableSync(path), o) as ImageRow<string>[];
}
