import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { InvalidArgumentError } from "@sidenet/core";

/** A labelled image: a path (or URL) transformers.js's `RawImage.read` accepts, and a label name. */
export interface ImageRow {
  image: string;
  label: string;
}

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"]);

/**
 * Reads labelled images from a JSONL file of `{"image": "<path>", "label": "..."}` rows (paths relative
 * to the file) — the fixture cache format — or from an image folder `<root>/<label>/*.png|jpg`.
 */
export function readImageDataset(path: string): ImageRow[] {
  if (!existsSync(path)) throw new InvalidArgumentError(`readImageDataset: ${path} does not exist.`);
  if (statSync(path).isDirectory()) {
    const rows: ImageRow[] = [];
    for (const label of readdirSync(path).sort()) {
      const dir = join(path, label);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).sort()) {
        if (IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) rows.push({ image: join(dir, f), label });
      }
    }
    if (rows.length === 0)
      throw new InvalidArgumentError(`readImageDataset: no images in ${path}/<label>/*.png|jpg.`);
    return rows;
  }
  const base = dirname(resolve(path));
  return readFileSync(path, "utf8")
    .split("\n")
    .flatMap((line, i) => {
      if (line.trim() === "") return [];
      let r: Partial<ImageRow>;
      try {
        r = JSON.parse(line) as Partial<ImageRow>;
      } catch (e) {
        throw new InvalidArgumentError(`${path}:${i + 1}: not valid JSON (${(e as Error).message}).`);
      }
      if (typeof r.image !== "string" || typeof r.label !== "string") {
        throw new InvalidArgumentError(`${path}:${i + 1}: expected {"image": string, "label": string}.`);
      }
      const image = /^[a-z]+:\/\//i.test(r.image) ? r.image : resolve(base, r.image);
      return [{ image, label: r.label }];
    });
}
