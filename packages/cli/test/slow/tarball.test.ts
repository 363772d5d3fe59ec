/**
 * The packages as a user gets them: built to dist, checked by publint and are-the-types-wrong, packed by
 * pnpm, installed with npm into a scratch project outside the workspace (with @huggingface/transformers
 * from the registry), then used there: `npx sidenet attach`, the README snippet from Node ESM and from
 * CommonJS, `registerSideNet()` with the stock pipeline, and type checks with moduleResolution node16 and
 * bundler.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeModel, findTapCandidates } from "@sidenet/core";
import { Rng } from "@sidenet/core/internal";
import { readTextJsonl } from "@sidenet/text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const BERT = join(ROOT, "fixtures", "models", "bert");
const DATA = process.env.SIDENET_DATA_DIR ?? join(ROOT, ".cache", "data");
const PACKAGES = ["core", "text", "vision", "cli"];
// the version the workspace pins (its pnpm catalog), from the registry
const TRANSFORMERS = /"@huggingface\/transformers": (\S+)/.exec(
  readFileSync(join(ROOT, "pnpm-workspace.yaml"), "utf8"),
)![1]!;
const work = mkdtempSync(join(tmpdir(), "sidenet-tarball-"));
const app = join(work, "app");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
/** Runs a command, failing with its output (tsc and npm print their errors on stdout). */
function sh(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: "utf8",
      env: { ...process.env, SIDENET_PROGRESS: "0" },
      maxBuffer: 1 << 26,
    });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${x.stdout ?? ""}\n${x.stderr ?? ""}`);
  }
}

const SNIPPET = `
import { pipeline as hfPipeline } from "@huggingface/transformers";
import { pipeline, registerSideNet } from "@sidenet/text";

const classify = await pipeline("text-classification", "./bert-sidenet");
const out = await classify(["Win a FREE cruise now!!!"]);
const mainnet = await classify(["Win a FREE cruise now!!!"], { threshold: 1 });
registerSideNet();
const stock = await hfPipeline("text-classification", "./bert-sidenet");
const viaStock = await stock(["Win a FREE cruise now!!!"]);
console.log(JSON.stringify({ out, telemetry: out.sidenet, mainnet, viaStock, stockTelemetry: viaStock.sidenet }));
`;

const CJS = `
const { pipeline } = require("@sidenet/text");
const { SideNetError } = require("@sidenet/core");
pipeline("text-classification", "./bert-sidenet")
  .then((classify) => classify(["Win a FREE cruise now!!!"]))
  .then((out) => console.log(JSON.stringify({ out, telemetry: out.sidenet, error: typeof SideNetError })));
`;

const TS = `
import { type SideNetTextClassificationPipeline, pipeline, readTextData, type TextRow } from "@sidenet/text";
import { type ImageRow, readImageData } from "@sidenet/vision";
import { SideNetError } from "@sidenet/core";
import type { SideNetManifest } from "@sidenet/core/artefact";
export async function main(): Promise<string> {
  const rows: TextRow[] = await readTextData("train.jsonl");
  const images: ImageRow[] = await readImageData("images");
  const classify = (await pipeline("text-classification", "./bert-sidenet")) as SideNetTextClassificationPipeline;
  const manifest: SideNetManifest = classify.model.manifest;
  return \`\${rows.length} \${images.length} \${manifest.task} \${SideNetError.name}\`;
}
`;

beforeAll(() => {
  sh("pnpm", ["build"], ROOT);
  mkdirSync(join(work, "tarballs"));
  for (const p of PACKAGES)
    sh("pnpm", ["pack", "--pack-destination", join(work, "tarballs")], join(ROOT, "packages", p));
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "scratch", private: true, version: "1.0.0" }),
  );
  const tarballs = readdirSync(join(work, "tarballs")).map((f) => join(work, "tarballs", f));
  // --ignore-scripts: onnxruntime-node's install script downloads CUDA files (its CPU binaries ship in the package)
  sh(
    "npm",
    [
      "install",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      ...tarballs,
      `@huggingface/transformers@${TRANSFORMERS}`,
      "typescript@5.9.3",
      "@types/node@20",
    ],
    app,
  );
  // a user's data: rows in a random order (the training file is sorted by label)
  const rng = new Rng(3);
  const pick = (split: string, n: number) => {
    const rows = readTextJsonl(join(DATA, "spam-assassin", `${split}.jsonl`));
    return [...rng.shuffle(Int32Array.from(rows.keys())).slice(0, n)].map((i) => JSON.stringify(rows[i]));
  };
  writeFileSync(join(app, "train.jsonl"), `${pick("train", 300).join("\n")}\n`);
  writeFileSync(join(app, "validation.jsonl"), `${pick("validation", 200).join("\n")}\n`);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed packages in a fresh npm project", () => {
  it("pass publint and are-the-types-wrong (ESM-only: CommonJS loads them through require(esm))", () => {
    for (const p of PACKAGES)
      expect(sh(bin("publint"), ["--strict"], join(ROOT, "packages", p))).toMatch(/All good|Suggestions/);
    for (const f of readdirSync(join(work, "tarballs"))) {
      // exits non-zero on any problem the esm-only profile counts
      sh(
        bin("attw"),
        [join(work, "tarballs", f), "--profile", "esm-only", "--format", "table-flipped"],
        work,
      );
    }
  });

  it("npx sidenet attaches a SideNet, and the README snippet runs from ESM and CommonJS", () => {
    const tap = findTapCandidates(decodeModel(readFileSync(join(BERT, "onnx", "model.onnx"))))[2]!.name;
    const attached = sh(
      "npx",
      [
        "--no-install",
        "sidenet",
        "attach",
        BERT,
        "--data",
        "train.jsonl",
        "--calibration",
        "validation.jsonl",
        "--taps",
        tap,
        "--pooling",
        "cls",
        "--max-cost",
        "0.6",
        "--max-exits",
        "1",
        "--out",
        "bert-sidenet",
      ],
      app,
    );
    expect(attached).toMatch(/wrote bert-sidenet \(1 exit\)/);
    writeFileSync(join(app, "snippet.mjs"), SNIPPET);
    const esm = JSON.parse(sh("node", ["snippet.mjs"], app)) as Record<
      string,
      { label: string; exit?: number }[]
    >;
    expect(esm.out![0]!.label).toMatch(/^(spam|ham)$/);
    expect(esm.telemetry).toHaveLength(1);
    expect(esm.stockTelemetry).toEqual(expect.any(Array)); // the stock pipeline answered through the SideNet
    expect(esm.viaStock).toEqual(esm.out);
    writeFileSync(join(app, "snippet.cjs"), CJS);
    const cjs = JSON.parse(sh("node", ["snippet.cjs"], app)) as Record<string, unknown>;
    expect(cjs.out).toEqual(esm.out);
    expect(cjs.error).toBe("function");
  }, 900_000);

  it("type-checks in TypeScript with moduleResolution node16 and bundler", () => {
    writeFileSync(join(app, "index.ts"), TS);
    for (const [module, resolution] of [
      ["node16", "node16"],
      ["esnext", "bundler"],
    ] as const) {
      const config = {
        compilerOptions: {
          module,
          moduleResolution: resolution,
          target: "es2022",
          strict: true,
          noEmit: true,
          // transformers.js's own declarations do not pass a full check (Float16Array, overrides);
          // ours are used, and so checked, by index.ts
          skipLibCheck: true,
          types: ["node"],
        },
        files: ["index.ts"],
      };
      writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify(config));
      writeFileSync(
        join(app, "package.json"),
        JSON.stringify({ ...JSON.parse(readFileSync(join(app, "package.json"), "utf8")), type: "module" }),
      );
      sh(join(app, "node_modules", ".bin", "tsc"), ["-p", `tsconfig.${resolution}.json`], app);
    }
  }, 300_000);
});
