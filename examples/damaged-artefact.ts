/**
 * The demo's bert artefact damaged the ways a user's copy gets damaged, each loaded through the text
 * pipeline: prints the error each one gives (all SideNetErrors naming the file and the fix).
 *
 * Run: `pnpm tsx --conditions=source examples/damaged-artefact.ts` (after `pnpm demo --only bert`).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { SideNetError } from "@sidenet/core";
import { pipeline } from "@sidenet/text";
import { artefactDir, FIXTURES } from "./lib/fixtures.js";

env.allowRemoteModels = false;
const good = artefactDir(FIXTURES.find((f) => f.name === "bert")!);
type Manifest = {
  heads: string;
  segments: Record<string, string[]>;
  exits: { tap: string }[];
  mainnet: { sha256: string };
};
const manifest = JSON.parse(readFileSync(join(good, "sidenet.json"), "utf8")) as Manifest;
const segment = (dtype: string, i: number) => manifest.segments[dtype]![i]!;
const truncate = (d: string, f: string) => {
  const b = readFileSync(join(d, f));
  writeFileSync(join(d, f), b.subarray(0, b.length >> 1));
};
const editJson = (d: string, f: (m: Record<string, any>) => void) => {
  const m = JSON.parse(readFileSync(join(d, "sidenet.json"), "utf8"));
  f(m);
  writeFileSync(join(d, "sidenet.json"), JSON.stringify(m));
};
const copy = (d: string, from: string, to: string) => writeFileSync(join(d, to), readFileSync(join(d, from)));

const cases: [string, (dir: string) => void][] = [
  ["sidenet.json truncated", (d) => truncate(d, "sidenet.json")],
  ["sidenet.json with a wrong-typed field", (d) => editJson(d, (m) => (m.exits[0].threshold = "high"))],
  ["the MainNet swapped for its q8 file", (d) => copy(d, "onnx/model_quantized.onnx", "onnx/model.onnx")],
  ["heads truncated", (d) => truncate(d, manifest.heads)],
  ["segment 0 replaced by segment 1", (d) => copy(d, segment("fp32", 1), segment("fp32", 0))],
  ["a renamed tap", (d) => editJson(d, (m) => (m.exits[0].tap = "/bert/pooler/dense/MatMul_output_0"))],
  ["a wrong mainnet.sha256", (d) => editJson(d, (m) => (m.mainnet.sha256 = "0".repeat(64)))],
  ["segment 1 truncated", (d) => truncate(d, segment("fp32", 1))],
  ["tokenizer.json garbled", (d) => writeFileSync(join(d, "tokenizer.json"), "{ garbled")],
  [
    "segment 1 replaced by another valid graph with the same inputs and outputs (the q8 one)",
    (d) => copy(d, segment("q8", 1), segment("fp32", 1)),
  ],
];

const work = mkdtempSync(join(tmpdir(), "sidenet-damage-"));
try {
  for (const [name, damage] of cases) {
    const dir = join(work, name.replace(/\W+/g, "-"));
    cpSync(good, dir, { recursive: true });
    damage(dir);
    try {
      const classify = (await pipeline("text-classification", dir)) as unknown as {
        model: { dispose(): Promise<unknown> };
      };
      await classify.model.dispose();
      console.log(`- ${name}: LOADED (not refused)`);
    } catch (e) {
      const kind =
        e instanceof SideNetError ? `${e.name} (${e.code})` : `NOT A SideNetError: ${(e as Error).name}`;
      console.log(`- ${name} → ${kind}: ${(e as Error).message.replaceAll(dir, "<artefact>")}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
