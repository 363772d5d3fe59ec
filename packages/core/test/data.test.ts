import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { labelIds } from "../src/attach/labels.js";
import { stratifiedSplit, subsetIndices } from "../src/data/subset.js";
import { cell, readTable } from "../src/data/table.js";

const dir = mkdtempSync(join(tmpdir(), "sidenet-data-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe("readTable", () => {
  it("reads CSV with quoted fields, embedded newlines, a BOM and empty lines, naming each row's first line", async () => {
    const p = file("a.csv", '\uFEFFreview,stars\n"great, really\nloved it",5\nmeh,2\n\n"say ""hi""",4\n');
    const t = await readTable(p);
    expect(t.columns).toEqual(["review", "stars"]);
    expect(t.rows).toEqual([
      { review: "great, really\nloved it", stars: "5" },
      { review: "meh", stars: "2" },
      { review: 'say "hi"', stars: "4" },
    ]);
    expect([0, 1, 2].map((i) => t.where(i))).toEqual([`${p} line 2`, `${p} line 4`, `${p} line 6`]);
  });

  it("reads TSV and JSON Lines", async () => {
    const tsv = await readTable(file("a.tsv", "text\tlabel\nhello, world\tham\n"));
    expect(tsv.rows).toEqual([{ text: "hello, world", label: "ham" }]);
    const jl = await readTable(
      file("a.jsonl", '{"sentence":"x","y":1}\n\n{"sentence":"z","y":0,"extra":true}\n'),
    );
    expect(jl.columns).toEqual(["sentence", "y", "extra"]);
    expect(jl.where(1)).toMatch(/a\.jsonl line 3$/);
    expect(cell(jl, 0, "y", "--label-column")).toBe("1");
  });

  it("reads Parquet (strings, integers, binary kept as bytes)", async () => {
    const p = join(dir, "a.parquet");
    parquetWriteFile({
      filename: p,
      columnData: [
        { name: "text", data: ["good", "bad"], type: "STRING" },
        { name: "label", data: [1n, 0n], type: "INT64" },
        { name: "blob", data: [new Uint8Array([104, 105]), new Uint8Array([0])], type: "BYTE_ARRAY" },
      ],
    });
    const t = await readTable(p);
    expect(t.columns).toEqual(["text", "label", "blob"]);
    expect(cell(t, 0, "text", "--text-column")).toBe("good");
    expect(cell(t, 1, "label", "--label-column")).toBe("0");
    expect(t.rows[0]!.blob).toBeInstanceOf(Uint8Array);
    expect(t.where(1)).toBe(`${p} row 2`);
  });

  it("names the file and line of malformed rows, and the columns present when one is missing", async () => {
    await expect(readTable(file("bad.csv", "a,b\n1,2\n3,4,5\n"))).rejects.toThrow(
      /bad\.csv line 3: not valid CSV/,
    );
    await expect(readTable(file("open.csv", 'a,b\n"1,2\n'))).rejects.toThrow(
      /open\.csv line 2: not valid CSV.*Quote Not Closed/,
    );
    await expect(readTable(file("bad.jsonl", '{"a":1}\n{"a":\n'))).rejects.toThrow(
      /bad\.jsonl line 2: not valid JSON/,
    );
    await expect(readTable(file("arr.jsonl", "[1,2]\n"))).rejects.toThrow(
      /arr\.jsonl line 1: expected a JSON object/,
    );
    await expect(readTable(file("bad.parquet", "not parquet"))).rejects.toThrow(
      /bad\.parquet: not a readable Parquet file/,
    );
    await expect(readTable(file("a.xlsx", ""))).rejects.toThrow(
      /"\.xlsx" is not a data format.*\.csv.*\.parquet/,
    );
    await expect(readTable(join(dir, "missing.csv"))).rejects.toThrow(/missing\.csv does not exist/);
    const t = await readTable(file("cols.csv", "review,stars\nx,1\n"));
    expect(() => cell(t, 0, "text", "--text-column")).toThrow(
      /has no column "text" \(columns: review, stars\); choose one with --text-column/,
    );
    const n = await readTable(file("null.jsonl", '{"text":null,"label":"a"}\n'));
    expect(() => cell(n, 0, "text", "--text-column")).toThrow(/null\.jsonl line 1: column "text" is null/);
  });
});

describe("labelIds", () => {
  const id2label = { "0": "ham", "1": "spam" };
  it("takes label names or ids, names first", () => {
    expect([...labelIds(["spam", "0", "1", "ham"], id2label, "d")]).toEqual([1, 0, 1, 0]);
    // a name that is also an id means the name
    expect([...labelIds(["1"], { "0": "1", "1": "0" }, "d")]).toEqual([0]);
  });
  it("lists every unknown label with its count and first row, and the MainNet's id2label", () => {
    expect(() =>
      labelIds(["ham", "eggs", "eggs", "2"], id2label, "t.csv", (i) => `t.csv line ${i + 2}`),
    ).toThrow(
      /t\.csv: 2 labels the MainNet does not know: "eggs" \(2 rows, first at t\.csv line 3\), "2" \(1 row, first at t\.csv line 5\)\. The MainNet's id2label: 0 "ham", 1 "spam"/,
    );
  });
});

describe("subsets and splits", () => {
  test.prop([
    fc.integer({ min: 0, max: 200 }),
    fc.option(fc.integer({ min: 1, max: 250 }), { nil: undefined }),
    fc.boolean(),
    fc.nat(),
  ])(
    "subsetIndices is a prefix of a permutation of 0..n−1 of length min(n, limit), the same for the same seed",
    (n, limit, shuffle, seed) => {
      const a = subsetIndices(n, { limit, shuffle, seed });
      expect(a.length).toBe(Math.min(n, limit ?? n));
      expect(new Set(a).size).toBe(a.length);
      for (const i of a) expect(i >= 0 && i < n).toBe(true);
      if (!shuffle) expect([...a]).toEqual([...Array(a.length).keys()]);
      expect([...subsetIndices(n, { limit, shuffle, seed })]).toEqual([...a]);
    },
  );

  test.prop([
    fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 300 }),
    fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    fc.nat(),
  ])(
    "stratifiedSplit partitions the rows and holds out round(f·n) of each label (≥ 1, ≤ n − 1)",
    (labels, f, seed) => {
      const { rest, held } = stratifiedSplit(labels, f, seed);
      expect([...rest, ...held].sort((x, y) => x - y)).toEqual([...labels.keys()]);
      for (const l of new Set(labels)) {
        const n = labels.filter((x) => x === l).length;
        const k = [...held].filter((i) => labels[i] === l).length;
        expect(k).toBe(n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(f * n))));
      }
      expect(stratifiedSplit(labels, f, seed)).toEqual({ rest, held });
    },
  );

  it("refuses fractions outside (0, 1) and limits below 1", () => {
    expect(() => stratifiedSplit(["a"], 1, 0)).toThrow(/expected a fraction in \(0, 1\)/);
    expect(() => subsetIndices(3, { limit: 0 })).toThrow(/limit is 0/);
  });
});
