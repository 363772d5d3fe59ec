/**
 * attach's cache of features and heads (`attachCache`): a second attach of the same MainNet and rows reuses
 * every shard and head, and writes the same heads as an attach that computes them; one whose cache lost
 * some entries (an attach interrupted before writing them) or has a damaged one computes exactly those.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "@sidenet/core";
import { afterAll, describe, expect, it } from "vitest";
import { attachTextSideNet } from "../src/index.js";
import { spamRows } from "./helpers/spam.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const MAINNET = join(ROOT, "fixtures", "models", "bert");
const scratch = mkdtempSync(join(tmpdir(), "sidenet-attach-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const train = spamRows("train").slice(0, 160);
const calibration = spamRows("validation").slice(0, 96);
const cacheDir = join(scratch, "cache");

async function attach(name: string, o: { attachCache: string | false; maxDrop: number }) {
  const lines: string[] = [];
  const out = join(scratch, name);
  await attachTextSideNet({
    mainnet: MAINNET,
    train,
    calibration,
    out,
    measureSmallBatches: false,
    ...o,
    log: (l) => lines.push(l),
  });
  const manifest = JSON.parse(readFileSync(join(out, "sidenet.json"), "utf8"));
  // what the choice is made of (measured timings aside: a cached shard keeps its first run's)
  const choice = {
    exits: manifest.exits.map((e: Record<string, unknown>) => [e.tap, e.pooling, e.threshold, e.temperature]),
    chosen: manifest.selection.chosen,
  };
  return { out, lines, choice, heads: readFileSync(join(out, manifest.heads)) };
}
const fromCache = (lines: string[]) => lines.filter((l) => /from the cache|attach cache/.test(l));
const files = (sub: string) =>
  readdirSync(join(cacheDir, sub), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".safetensors"))
    .sort();

describe("attach's cache", () => {
  let first: Awaited<ReturnType<typeof attach>>;

  it("a first attach computes everything and writes a shard per split and a head per tap", async () => {
    first = await attach("first", { attachCache: cacheDir, maxDrop: 0.5 });
    expect(fromCache(first.lines)).toEqual([]);
    expect(files("features")).toHaveLength(2); // one shard each: train and calibration
    const taps = first.lines.filter((l) => /^ {2}\S+ \[\S+\]: head acc/.test(l)).length;
    expect(files("heads")).toHaveLength(taps);
  });

  it("a second attach with another budget reuses every shard and head; the same heads as computing them", async () => {
    const second = await attach("second", { attachCache: cacheDir, maxDrop: 2 });
    const heads = files("heads").length;
    expect(fromCache(second.lines)).toEqual([
      `features from the cache: ${train.length} of ${train.length} train and ${calibration.length} of ${calibration.length} calibration rows (${cacheDir})`,
      `heads from the cache: ${heads} of ${heads}`,
    ]);
    const computed = await attach("computed", { attachCache: false, maxDrop: 2 });
    expect(fromCache(computed.lines)).toEqual([]);
    expect(second.heads.equals(computed.heads)).toBe(true);
    expect(second.choice).toEqual(computed.choice);
  });

  it("resumes: lost entries are computed again, a damaged one is recomputed and rewritten", async () => {
    const [calShard] = files("features").filter((f) => f.includes(`0-${calibration.length}.`));
    rmSync(join(cacheDir, "features", calShard!));
    const [lost, damaged] = files("heads");
    rmSync(join(cacheDir, "heads", lost!));
    writeFileSync(join(cacheDir, "heads", damaged!), "not safetensors");
    const resumed = await attach("resumed", { attachCache: cacheDir, maxDrop: 0.5 });
    const heads = files("heads").length;
    expect(fromCache(resumed.lines)).toEqual([
      `features from the cache: ${train.length} of ${train.length} train and 0 of ${calibration.length} calibration rows (${cacheDir})`,
      expect.stringMatching(new RegExp(`^attach cache: .*${damaged}.* is unreadable`)),
      `heads from the cache: ${heads - 2} of ${heads}`,
    ]);
    expect(resumed.heads.equals(first.heads)).toBe(true);
    expect(resumed.choice).toEqual(first.choice);
    expect(files("features")).toHaveLength(2);
    // the damaged head was rewritten: a fourth attach reads every head
    const again = await attach("again", { attachCache: cacheDir, maxDrop: 0.5 });
    expect(fromCache(again.lines)).toContain(`heads from the cache: ${heads} of ${heads}`);
  });

  it("an entry that reads as safetensors but does not fit (too few parameters for its shape) is computed again", async () => {
    const [head] = files("heads");
    const path = join(cacheDir, "heads", head!);
    const t = readSafetensors(readFileSync(path));
    const params = t.tensors.params!.data as Float32Array;
    writeFileSync(
      path,
      writeSafetensors({ params: { dtype: "F32", shape: [3], data: params.slice(0, 3) } }, t.metadata),
    );
    const fixed = await attach("fixed", { attachCache: cacheDir, maxDrop: 0.5 });
    const heads = files("heads").length;
    expect(fromCache(fixed.lines)).toEqual([
      `features from the cache: ${train.length} of ${train.length} train and ${calibration.length} of ${calibration.length} calibration rows (${cacheDir})`,
      expect.stringMatching(
        new RegExp(`^attach cache: .*${head}.* is unreadable \\(MlpHead: 3 parameters given`),
      ),
      `heads from the cache: ${heads - 1} of ${heads}`,
    ]);
    expect(fixed.heads.equals(first.heads)).toBe(true);
  });
});
