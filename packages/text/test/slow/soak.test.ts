/**
 * Soak tests of the text pipeline (`pnpm test:slow`): memory over 10 000 calls and over repeated
 * load–call–dispose cycles, on the small bert artefact of the reliability tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { env } from "@huggingface/transformers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeline } from "../../src/index.js";
import { attachSmallArtefact, type Classify, texts } from "../helpers/small-artefact.js";

env.allowRemoteModels = false;

let work: string;
let good: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "sidenet-soak-"));
  good = join(work, "good");
  await attachSmallArtefact(good);
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("many calls and loads", () => {
  let classify: Classify;
  beforeAll(async () => {
    classify = (await pipeline("text-classification", good)) as unknown as Classify;
  });
  afterAll(() => classify.model.dispose());

  it("10 000 calls keep RSS flat", async () => {
    for (let i = 0; i < 500; i++) await classify([texts[i % texts.length]!]);
    const start = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) await classify([texts[i % texts.length]!]);
    const end = process.memoryUsage().rss;
    console.log(
      `RSS over 10 000 calls: ${(start / 2 ** 20).toFixed(0)} MiB → ${(end / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(end - start).toBeLessThan(64 * 2 ** 20);
  }, 600_000);

  it("a disposed model refuses calls; 12 load–call–dispose cycles add < 96 MiB of RSS", async () => {
    const cycle = async () => {
      const p = (await pipeline("text-classification", good)) as unknown as Classify;
      await p([texts[0]!]);
      await p.model.dispose();
      return p;
    };
    // The allocator's arenas grow over the first couple of dozen loads in a fresh process, then stay flat
    // (measured on this artefact, RSS every 12 cycles: 314 → 477 → 533 → 533 → 542 MiB; the code before
    // the core split gave 313 → 463 → 529 → 563 → 560). In reliability.test.ts this test used to run after
    // some 80 loads of the damaged-artefact cases; on its own it warms up with 24 cycles first.
    for (let i = 0; i < 24; i++) await cycle();
    const start = process.memoryUsage().rss;
    let last: Classify | undefined;
    for (let i = 0; i < 12; i++) last = await cycle();
    const end = process.memoryUsage().rss;
    console.log(
      `RSS over 12 load–dispose cycles: ${(start / 2 ** 20).toFixed(0)} MiB → ${(end / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(end - start).toBeLessThan(96 * 2 ** 20);
    await expect(last!(["after dispose"])).rejects.toThrow(/disposed/);
  }, 600_000);
});
