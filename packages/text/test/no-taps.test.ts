/**
 * When the structural finder finds nothing (node names without numbered blocks), attach fails with an
 * error that lists tensors which cut the graph cleanly, and those tensors are valid taps.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeModel, findTapCandidates, SideNetError, splitModel, suggestTaps } from "@sidenet/core";
import { encodeModel } from "@sidenet/core/internal";
import { afterAll, describe, expect, it } from "vitest";
import { maxAbsDiff, runFull, runSegments } from "../../core/test/helpers/fixtures.js";
import { attachTextSideNet } from "../src/index.js";
import { familyFixture, referenceFeeds } from "./helpers/families.js";
import { spamRows } from "./helpers/spam.js";

const scratch = mkdtempSync(join(tmpdir(), "sidenet-no-taps-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a MainNet whose node names have no numbered blocks", () => {
  const f = familyFixture("bert");
  const model = decodeModel(f.bytes("model.onnx"));
  // an exporter that names nodes by op and index only: nothing for the structural finder to read
  for (const [i, n] of (model.graph?.node ?? []).entries()) n.name = `${n.opType}_${i}`;
  const bytes = encodeModel(model);

  it("has no structural taps, but clean cuts to suggest, each an exact split", async () => {
    expect(findTapCandidates(decodeModel(bytes))).toEqual([]);
    const cuts = suggestTaps(decodeModel(bytes));
    expect(cuts.length).toBeGreaterThanOrEqual(f.layers);
    const feeds = referenceFeeds(f);
    const full = await runFull(bytes, feeds);
    for (const cut of cuts) {
      const split = splitModel(decodeModel(bytes), [cut]);
      expect(maxAbsDiff(await runSegments(split.segments, feeds), full)).toBeLessThanOrEqual(1e-4);
    }
  });

  it("attach fails with INCOMPATIBLE_MODEL naming the model file and the suggested taps", async () => {
    const dir = join(scratch, "renamed");
    cpSync(f.dir, dir, { recursive: true });
    writeFileSync(join(dir, "onnx", "model.onnx"), bytes);
    const rows = (s: "train" | "validation") => spamRows(s).slice(0, 40);
    const err = await attachTextSideNet({
      mainnet: dir,
      train: rows("train"),
      calibration: rows("validation"),
      out: join(scratch, "out"),
      log: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SideNetError);
    expect((err as SideNetError).code).toBe("INCOMPATIBLE_MODEL");
    const message = (err as Error).message;
    expect(message).toContain(join(dir, "onnx", "model.onnx"));
    for (const cut of suggestTaps(decodeModel(bytes))) expect(message).toContain(cut);
    expect(message).toContain("--taps");
  });
});
