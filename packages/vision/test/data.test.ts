import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { readImageData, readImageDataset, visionAdapter } from "../src/index.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "resnet");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const rows = readImageDataset(join(DATA, "fashion-mnist", "test.jsonl")).slice(0, 12);
const config = JSON.parse(readFileSync(join(MAINNET, "config.json"), "utf8")) as {
  label2id: Record<string, number>;
};
const dir = mkdtempSync(join(tmpdir(), "sidenet-images-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The processor's pixel_values of items, as attach and eval compute them. */
async function pixels(items: (string | Blob)[]): Promise<Float32Array> {
  const prepare = await visionAdapter.prepare(MAINNET);
  return Float32Array.from((await prepare(items)).pixel_values!.data as Float32Array);
}

describe("image data: Parquet bytes, CSV paths and folders give the same pixels as the fixture's paths", () => {
  it("reads a hub-style Parquet file (image struct {bytes, path}, integer label ids)", async () => {
    const file = join(dir, "test.parquet");
    parquetWriteFile({
      filename: file,
      columnData: [
        {
          name: "img",
          data: rows.map((r) => ({ bytes: new Uint8Array(readFileSync(r.image)), path: basename(r.image) })),
        },
        { name: "label", data: rows.map((r) => BigInt(config.label2id[r.label]!)) },
      ],
      schema: [
        { name: "root", num_children: 2 },
        { name: "img", repetition_type: "OPTIONAL", num_children: 2 },
        { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
        { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
        { name: "label", type: "INT64", repetition_type: "OPTIONAL" },
      ],
    });
    const read = await readImageData(file, { imageColumn: "img" });
    expect(read.map((r) => r.label)).toEqual(rows.map((r) => String(config.label2id[r.label])));
    expect(read.every((r) => r.image instanceof Blob)).toBe(true);
    expect(read[3]!.at).toBe(`${file} row 4`);
    expect(await pixels(read.map((r) => r.image))).toEqual(await pixels(rows.map((r) => r.image)));
    await expect(readImageData(file)).rejects.toThrow(
      /has no column "image" \(columns: img, label\); choose one with --image-column/,
    );
  });

  it("reads CSV with paths relative to the file, and an image folder <root>/<label>/*.png", async () => {
    const sub = join(dir, "csv", "pngs");
    mkdirSync(sub, { recursive: true });
    const lines = ["file,class"];
    for (const [i, r] of rows.entries()) {
      cpSync(r.image, join(sub, `${i}.png`));
      lines.push(`pngs/${i}.png,"${r.label}"`);
      mkdirSync(join(dir, "folder", r.label), { recursive: true });
      cpSync(r.image, join(dir, "folder", r.label, `${String(i).padStart(2, "0")}.png`));
    }
    writeFileSync(join(dir, "csv", "images.csv"), `${lines.join("\n")}\n`);
    const csv = await readImageData(join(dir, "csv", "images.csv"), {
      imageColumn: "file",
      labelColumn: "class",
    });
    expect(csv.map((r) => r.label)).toEqual(rows.map((r) => r.label));
    expect(await pixels(csv.map((r) => r.image))).toEqual(await pixels(rows.map((r) => r.image)));
    const folder = await readImageData(join(dir, "folder"));
    expect(folder.length).toBe(rows.length);
    expect(new Set(folder.map((r) => r.label))).toEqual(new Set(rows.map((r) => r.label)));
  });
});
