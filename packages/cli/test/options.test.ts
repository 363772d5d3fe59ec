import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { POOLINGS } from "@sidenet/core/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { parseCli } from "../src/options.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const BERT = join(ROOT, "fixtures", "models", "bert");
const dir = mkdtempSync(join(tmpdir(), "sidenet-cli-"));
const csv = join(dir, "rows.csv");
writeFileSync(csv, "text,label\nhello,ham\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const attach = (...extra: string[]) => [
  "sweep",
  BERT,
  "--data",
  csv,
  "--calibration",
  csv,
  "--out",
  join(dir, "out"),
  ...extra,
];

describe("the CLI checks every option before any work", () => {
  it.each([
    [attach("--max-drop", "abc"), /--max-drop is "abc"; expected a number of percentage points/],
    [attach("--max-drop", "101"), /--max-drop is 101; expected a number of percentage points in \[0, 100\]/],
    [attach("--max-cost", "2"), /--max-cost is 2; expected a fraction of the MainNet's cost in \(0, 1\]/],
    [attach("--max-cost", "0.4", "--max-drop", "1"), /give --max-drop or --max-cost, not both/],
    [attach("--risk", "1"), /--risk is 1; expected a probability in \[0, 1\)/],
    [
      attach("--risk", "0.1", "--max-cost", "0.4"),
      /--risk certifies an accuracy budget \(or an agreement one\): give it with --max-drop or --min-agreement, not --max-cost/,
    ],
    [attach("--max-exits", "0"), /--max-exits is 0; expected a whole number of exits per cascade ≥ 1/],
    [attach("--max-exits", "2.5"), /--max-exits is 2\.5; expected a whole number of exits per cascade ≥ 1/],
    [attach("--min-agreement", "1.5"), /--min-agreement is 1\.5; expected a share of rows in \(0, 1\]/],
    [attach("--min-agreement", "0.99", "--max-drop", "1"), /give --max-drop or --min-agreement, not both/],
    [
      attach("--min-agreement", "1", "--risk", "0.1"),
      /--min-agreement is 1; expected a share below 1 with a risk/,
    ],
    [
      attach("--criteria", "max-prob,confident"),
      /--criteria is "confident"; expected one or more of max-prob, margin, entropy, patience/,
    ],
    [
      attach("--pooling", "avg"),
      new RegExp(`--pooling is "avg"; expected one or more of ${Object.keys(POOLINGS).join(", ")}\\b`),
    ],
    [attach("--seed=-1"), /--seed is -1; expected a whole number/],
    [attach("--workers", "0"), /--workers is 0; expected a whole number of worker threads ≥ 1/],
    [attach("--workers", "two"), /--workers is "two"; expected a whole number of threads ≥ 1/],
    [attach("--limit", "0"), /--limit is 0; expected a whole number in \[1, /],
    [attach("--taps", ""), /--taps is ""; expected tensor names of the graph/],
    [
      ["sweep", BERT, "--data", csv, "--out", join(dir, "o")],
      /needs held-out rows: --calibration .* or --calibration-split 0\.2/,
    ],
    [
      ["sweep", BERT, "--data", csv, "--calibration-split", "1.5", "--out", join(dir, "o")],
      /--calibration-split is 1\.5; expected a fraction in \(0, 1\)/,
    ],
    [attach("--calibration-split", "0.2"), /give --calibration or --calibration-split, not both/],
    [
      ["sweep", BERT, "--data", join(dir, "missing.csv"), "--calibration-split", "0.2", "--out", "o"],
      /--data .*missing\.csv: no such file or directory/,
    ],
    [
      ["sweep", BERT, "--data", csv, "--calibration-split", "0.2", "--out", csv],
      /--out .*rows\.csv is a file/,
    ],
    [
      ["sweep", BERT, "--data", csv, "--calibration-split", "0.2", "--out", BERT],
      /--out .* is the MainNet's own directory/,
    ],
    [attach("--maxdrop", "1"), /Unknown option '--maxdrop'/],
    [["eval", BERT], /eval needs --data/],
    [["eval", BERT, "--data", csv, "--dtype", "q3"], /--dtype is "q3"; expected one of fp32, .*q8/],
    [attach("--dtypes", "fp32,fp8"), /--dtypes has "fp8"; expected some of fp32, .*bnb4/],
    [["eval", BERT, "--data", csv, "--batch", "0"], /--batch is 0; expected a whole number in \[1, 4096\]/],
    [["inspect", join(dir, "nope")], /nope: no such directory .*and not a hub model id/],
    [["inspect", "./also/not/here"], /no such directory .*not a hub model id \(owner\/name\) or URL/],
    [
      ["frobnicate", BERT],
      /unknown command "frobnicate"; expected one of inspect, sweep, attach, eval, report/,
    ],
  ])("%j", (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });

  it("accepts good values, a hub id and a hub URL", () => {
    const o = parseCli(
      attach(
        "--max-drop",
        "0.5",
        "--risk",
        "0.1",
        "--criteria",
        "margin",
        "--limit",
        "10",
        "--shuffle",
        "--dtypes",
        "fp16, q4",
        "--workers",
        "3",
        "--no-attach-cache",
      ),
    );
    expect(o).toMatchObject({
      dtypes: ["fp16", "q4"],
      workers: 3,
      attachCache: false,
      maxDrop: 0.5,
      risk: 0.1,
      criteria: ["margin"],
      limit: 10,
      shuffle: true,
      batch: 32,
    });
    expect(parseCli(["inspect", "Xenova/distilbert-base-uncased-finetuned-sst-2-english"]).target).toMatch(
      /^Xenova/,
    );
    expect(parseCli(["inspect", "https://huggingface.co/Xenova/resnet-50/tree/v1"]).command).toBe("inspect");
  });

  it("prints one message and no stack trace, exit code 1, before reading the MainNet (stack with --debug)", () => {
    const cli = (args: string[]) =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions=source", join(ROOT, "packages/cli/src/main.ts"), ...args],
        {
          encoding: "utf8",
          cwd: ROOT,
        },
      );
    const bad = cli(attach("--max-drop", "abc"));
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toMatch(
      /^sidenet: --max-drop is "abc"; expected a number of percentage points, e\.g\. 0\.5\.$/,
    );
    const missing = cli(["inspect", join(dir, "nope")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const debug = cli(["inspect", join(dir, "nope"), "--debug"]);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
