/**
 * `sidenet attach` killed with SIGKILL at various points of a re-attach must leave the previous artefact
 * loadable and unchanged (or, once sidenet.json is renamed into place, the new one complete).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { pipeline, readTextJsonl } from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spamRows } from "../../../text/test/helpers/spam.js";

env.allowRemoteModels = false;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const texts = readTextJsonl(join(DATA, "spam-assassin", "test.jsonl"))
  .slice(0, 16)
  .map((r) => r.text);

let work: string;
let out: string;
let args: string[];

/** Runs `sidenet attach` in a child process; kills it with SIGKILL after `killAfterMs` (if given). */
function attach(seed: number, killAfterMs?: number): Promise<"completed" | "killed"> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=source",
        join(ROOT, "packages", "cli", "src", "main.ts"),
        ...args,
        "--seed",
        `${seed}`,
      ],
      { cwd: ROOT, stdio: "ignore" },
    );
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("completed");
      else reject(new Error(`attach exited with ${code}`));
    });
  });
}

/** sidenet.json and the sha256 of every file it names. */
function snapshot(dir: string) {
  const text = readFileSync(join(dir, "sidenet.json"), "utf8");
  const m = JSON.parse(text) as {
    heads: string;
    segments: Record<string, string[]>;
    mainnet: { file: string };
  };
  const files = [m.heads, m.mainnet.file, ...Object.values(m.segments).flat(), "config.json"];
  const hash = (f: string) =>
    createHash("sha256")
      .update(readFileSync(join(dir, f)))
      .digest("hex");
  return { text, files: Object.fromEntries(files.map((f) => [f, hash(f)])) };
}

async function answers(dir: string) {
  const classify = (await pipeline("text-classification", dir)) as unknown as ((
    t: string[],
  ) => Promise<unknown[]>) & { model: { dispose(): Promise<unknown> } };
  try {
    return await classify(texts);
  } finally {
    await classify.model.dispose();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "sidenet-kill-"));
  out = join(work, "artefact");
  const train = join(work, "train.jsonl");
  // 300 rows of both labels (the train file is sorted by label)
  const rows = spamRows("train").slice(0, 300);
  writeFileSync(train, `${rows.map((r) => JSON.stringify({ text: r.text, label: r.label })).join("\n")}\n`);
  const tap = findTapCandidates(decodeModel(readFileSync(join(MAINNET, "onnx", "model.onnx"))))[1]!.name;
  args = [
    "attach",
    MAINNET,
    "--data",
    train,
    "--calibration",
    join(DATA, "spam-assassin", "validation.jsonl"),
    "--out",
    out,
    "--taps",
    tap,
    "--pooling",
    "cls",
    "--max-exits",
    "1",
  ];
  expect(await attach(1)).toBe("completed");
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("attach killed with SIGKILL", () => {
  it("leaves the previous artefact loadable and unchanged at every kill point", async () => {
    let before = snapshot(out);
    let expected = await answers(out);
    const outcomes: string[] = [];
    // kill points from the child's start-up to past its end, each with a new seed (new heads)
    for (const [k, ms] of [
      300, 2500, 5000, 7500, 9000, 10_000, 10_500, 11_000, 11_500, 12_000, 13_000, 20_000,
    ].entries()) {
      const r = await attach(2 + k, ms);
      const after = snapshot(out);
      if (after.text === before.text) {
        expect(after.files).toEqual(before.files);
        expect(await answers(out)).toEqual(expected);
        outcomes.push(`${ms} ms: ${r}, previous artefact unchanged`);
      } else {
        // the commit (sidenet.json's rename) happened: the new artefact must be complete
        expected = await answers(out);
        expect(expected).toHaveLength(texts.length);
        before = after;
        outcomes.push(`${ms} ms: ${r}, new artefact complete`);
      }
    }
    console.log(`SIGKILL during attach: ${outcomes.join("; ")}`);
    expect(outcomes.some((o) => o.includes("unchanged") && o.includes("killed"))).toBe(true);
  }, 900_000);
});
