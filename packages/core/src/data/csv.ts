import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { InvalidArgumentError } from "../errors.js";
import type { Table } from "./table.js";

interface Parsed {
  record: Record<string, string>;
  info: { lines: number; empty_lines: number; comment_lines: number };
}

/** A CSV/TSV file with a header row, parsed by csv-parse (RFC 4180 quoting, embedded newlines, BOM). */
export function readCsv(file: string, delimiter: "," | "\t"): Table {
  let parsed: Parsed[];
  try {
    parsed = parse(readFileSync(file), {
      columns: true,
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_quotes: false,
    }) as unknown as Parsed[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InvalidArgumentError(
      `${file}${err.lines ? ` line ${err.lines}` : ""}: not valid ${delimiter === "," ? "CSV" : "TSV"} (${err.message}).`,
      { cause: e },
    );
  }
  // A record's info gives the line it ends on; it starts after the previous one and any empty lines between.
  const starts: number[] = [];
  let end = 1;
  let skipped = 0;
  for (const { info } of parsed) {
    const gap = info.empty_lines + info.comment_lines - skipped;
    skipped = info.empty_lines + info.comment_lines;
    starts.push(end + 1 + gap);
    end = info.lines;
  }
  const header = readFileSync(file, "utf8").split(/\r?\n/, 1)[0] ?? "";
  const columns = parsed[0] ? Object.keys(parsed[0].record) : header.replace(/^\uFEFF/, "").split(delimiter);
  return {
    file,
    columns,
    rows: parsed.map((p) => p.record),
    where: (i) => `${file} line ${starts[i]}`,
  };
}
