import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { env } from "@huggingface/transformers";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
import { Rng } from "@sidenet/core/internal";
import { pipeline, readTextJsonl } from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackHub, startHub } from "../../../scripts/test/hub.js";

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const BERT = join(ROOT, "fixtures", "models", "bert");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const dir = mkdtempSync(join(tmpdir(), "sidenet-hub-"));
const cacheDir = join(dir, "hf-cache");
const out = join(dir, "bert-sidenet");
const repos: Record<string, string> = { "sidenet-fixtures/bert": BERT };
let hub: LoopbackHub;

/** The CLI as a user runs it, with the loopback hub as HF_ENDPOINT (async: the hub answers from this process). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=source", join(ROOT, "packages/cli/src/main.ts"), ...args],
      { cwd: dir, env: { ...process.env, HF_ENDPOINT: hub.url, SIDENET_PROGRESS: "0" }, maxBuffer: 1 << 26 },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

// a user's CSV: other column names, labels as ids of id2label, rows in a seeded random order
const spam = readTextJsonl(join(DATA, "spam-assassin", "train.jsonl"));
const order = new Rng(7).shuffle(Int32Array.from(spam.keys())).slice(0, 360);
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
writeFileSync(
  join(dir, "mail.csv"),
  `message,category\n${[...order].map((i) => `${quote(spam[i]!.text)},${spam[i]!.label === "spam" ? 1 : 0}`).join("\n")}\n`,
);

beforeAll(async () => {
  hub = await startHub(repos, ["main", "v1"]);
});
afterAll(async () => {
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("hub ids through a loopback hub, as a user runs them", () => {
  it("attach <id> --data file.csv downloads the MainNet through transformers.js and records where it came from", async () => {
    const tap = findTapCandidates(decodeModel(readFileSync(join(BERT, "onnx", "model.onnx"))))[2]!.name;
    const r = await cli([
      "attach",
      "sidenet-fixtures/bert",
      "--data",
      "mail.csv",
      "--calibration-split",
      "0.3",
      "--text-column",
      "message",
      "--label-column",
      "category",
      "--taps",
      tap,
      "--pooling",
      "cls",
      "--max-cost",
      "0.6",
      "--max-exits",
      "1",
      "--cache-dir",
      cacheDir,
      "--out",
      out,
    ]);
    expect(r.stderr).toMatch(
      new RegExp(`downloading ${hub.url}sidenet-fixtures/bert \\(revision main\\) through transformers\\.js`),
    );
    expect(r.stderr).toMatch(
      /WARNING: no --calibration file: 108 of the 360 rows of mail\.csv .* are held out/,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^chosen: .*\nwrote .*bert-sidenet \(1 exit\)/m);
    // through transformers.js's cache, in its layout; the MainNet files copied into the artefact
    for (const f of ["config.json", "tokenizer.json", "onnx/model.onnx", "onnx/model_quantized.onnx"]) {
      expect(existsSync(join(cacheDir, "sidenet-fixtures/bert", f)), f).toBe(true);
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(hub.requests).toContain("GET /sidenet-fixtures/bert/resolve/main/config.json 200");
    expect(hub.requests).toContain("GET /sidenet-fixtures/bert/resolve/main/tokenizer.json 200");
    const m = JSON.parse(readFileSync(join(out, "sidenet.json"), "utf8")) as SideNetManifest;
    expect(m.mainnet.source).toEqual({ id: "sidenet-fixtures/bert", revision: "main", host: hub.url });
    expect(m.calibration?.split_off).toEqual({ from: "mail.csv", fraction: 0.3, seed: 0, stratified: true });
    expect(m.calibration?.calibration_rows).toBe(108);
  }, 600_000);

  it("loads the artefact by id in Node: the same answers as from its directory, and again offline from the cache", async () => {
    repos["sidenet-fixtures/bert-sidenet"] = out;
    const saved = {
      remoteHost: env.remoteHost,
      cacheDir: env.cacheDir,
      allowRemoteModels: env.allowRemoteModels,
    };
    Object.assign(env, { remoteHost: hub.url, cacheDir: join(dir, "node-cache"), allowRemoteModels: true });
    type Classify = ((
      t: string[],
      o?: object,
    ) => Promise<{ label: string; score: number }[] & { sidenet: unknown[] }>) & {
      model: { dispose(): Promise<void> };
    };
    const texts = [...order].slice(0, 16).map((i) => spam[i]!.text);
    try {
      const local = (await pipeline("text-classification", out)) as unknown as Classify;
      const byId = (await pipeline(
        "text-classification",
        "sidenet-fixtures/bert-sidenet",
      )) as unknown as Classify;
      const [a, b] = [await local(texts), await byId(texts)];
      expect(b).toEqual(a);
      expect(b.sidenet).toHaveLength(texts.length);
      expect(hub.requests).toContain("GET /sidenet-fixtures/bert-sidenet/resolve/main/sidenet.json 200");
      await Promise.all([local.model.dispose(), byId.model.dispose()]);
      // offline: every file it read is in transformers.js's cache now
      await hub.close();
      const offline = (await pipeline(
        "text-classification",
        "sidenet-fixtures/bert-sidenet",
      )) as unknown as Classify;
      expect(await offline(texts)).toEqual(a);
      await offline.model.dispose();
    } finally {
      Object.assign(env, saved);
      hub = await startHub(repos, ["main", "v1"]);
    }
  }, 300_000);

  it("--revision and a hub URL; an id the hub lacks is one clear message", async () => {
    const v1 = await cli(["inspect", `${hub.url}sidenet-fixtures/bert/tree/v1`, "--cache-dir", cacheDir]);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stdout).toMatch(/11 candidate taps/);
    expect(existsSync(join(cacheDir, "sidenet-fixtures/bert/v1/config.json"))).toBe(true);
    const missing = await cli(["inspect", "sidenet-fixtures/nope", "--cache-dir", cacheDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /sidenet: .*sidenet-fixtures\/nope \(revision main\): sidenet-fixtures\/nope is not a local directory, and could not be downloaded from the hub/,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);

  it("eval states the stored policies and what the pipeline does at --batch", async () => {
    const edited = join(dir, "edited-sidenet");
    cpSync(out, edited, { recursive: true });
    const m = JSON.parse(readFileSync(join(edited, "sidenet.json"), "utf8")) as SideNetManifest;
    m.mainnet_below_rows = 64;
    delete m.small_batches;
    m.exits[0]!.threshold = 0.4; // ≤ 1/2: every row of a 2-class MainNet exits
    writeFileSync(join(edited, "sidenet.json"), JSON.stringify(m));
    const test = readTextJsonl(join(DATA, "spam-assassin", "test.jsonl")).slice(0, 100);
    writeFileSync(join(dir, "test.jsonl"), `${test.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const small = await cli(["eval", edited, "--data", "test.jsonl", "--batch", "8"]);
    expect(small.code, small.stderr).toBe(0);
    expect(small.stdout).toMatch(
      /exit 0 at layer 2: every row exits \(τ 0\.4 ≤ the lowest max-prob of 2 classes\)/,
    );
    expect(small.stdout).toMatch(/small-batch rule: batches below 64 rows run the MainNet alone/);
    expect(small.stdout).toMatch(
      /at batch 8: the small-batch rule runs the MainNet alone on every batch — no row exits early/,
    );
    const large = await cli(["eval", edited, "--data", "test.jsonl", "--batch", "64"]);
    // 64 rows in one cascade batch (all exit), the last 36 below the rule: the MainNet alone
    expect(large.stdout).toMatch(
      /at batch 64 \(what the pipeline does\): accuracy [\d.]+ %, exit rate 64\.00 % \(36 rows in batches below the small-batch rule ran the MainNet alone\)/,
    );
    expect(large.stdout).toMatch(/^100 rows: MainNet [\d.]+ %, cascade [\d.]+ % .*exit rate 100\.00 %/m);
    // eval and report on the artefact by hub id (served since the test above)
    const byId = await cli([
      "eval",
      "sidenet-fixtures/bert-sidenet",
      "--data",
      "test.jsonl",
      "--cache-dir",
      cacheDir,
    ]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(/^100 rows: MainNet [\d.]+ %, cascade/m);
    expect(byId.stdout).toMatch(/files: \d+ pinned by sha256/);
    const report = await cli([
      "report",
      "sidenet-fixtures/bert-sidenet",
      "--data",
      "test.jsonl",
      "--cache-dir",
      cacheDir,
      "--resamples",
      "20",
    ]);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(join(dir, "bert-sidenet-report", "report.html"))).toBe(true);
  }, 300_000);
});
