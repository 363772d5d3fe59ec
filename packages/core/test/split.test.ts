import { describe, expect, it } from "vitest";
import { decodeModel, findTapCandidates, SideNetError, splitModel } from "../src/index.js";
import {
  bertFeeds,
  fixtureBytes,
  maxAbsDiff,
  resnetFeeds,
  runFull,
  runSegments,
} from "./helpers/fixtures.js";

describe.each(["model.onnx", "model_quantized.onnx"])("splitting the bert fixture (%s)", (file) => {
  const bytes = fixtureBytes("bert", file);
  const taps = findTapCandidates(decodeModel(bytes));

  it("finds one tap per encoder layer, by structure", () => {
    expect(taps.map((t) => t.name)).toEqual(
      Array.from({ length: 11 }, (_, i) => `/bert/encoder/layer.${i}/output/LayerNorm/Add_1_output_0`),
    );
    const shares = taps.map((t) => t.weightShare);
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
  });

  it.each(Array.from({ length: 11 }, (_, i) => i))(
    "segments cut after layer %i equal the full model (max |Δlogit| ≤ 1e-4), carrying the extended mask",
    async (layer) => {
      const feeds = bertFeeds(5, 24, layer + 1);
      const split = splitModel(decodeModel(bytes), [taps[layer]!.name]);
      expect(split.segments).toHaveLength(2);
      expect(split.carried).toEqual(["/bert/Mul_output_0"]);
      expect(
        maxAbsDiff(await runSegments(split.segments, feeds), await runFull(bytes, feeds)),
      ).toBeLessThanOrEqual(1e-4);
    },
  );

  it("cuts at several taps at once (multi-exit)", async () => {
    const feeds = bertFeeds(3, 16, 99);
    const split = splitModel(decodeModel(bytes), [taps[1]!.name, taps[5]!.name, taps[9]!.name]);
    expect(split.segments).toHaveLength(4);
    expect(
      maxAbsDiff(await runSegments(split.segments, feeds), await runFull(bytes, feeds)),
    ).toBeLessThanOrEqual(1e-4);
  });
});

describe.each(["model.onnx", "model_quantized.onnx"])("splitting the resnet fixture (%s)", (file) => {
  const bytes = fixtureBytes("resnet", file);
  const taps = findTapCandidates(decodeModel(bytes));

  it("finds stage outputs and block outputs inside stages", () => {
    const stages = taps.filter((t) => t.depth === 0).map((t) => t.block);
    expect(stages).toEqual([0, 1, 2].map((i) => `/resnet/encoder/stages.${i}`));
    expect(taps.filter((t) => t.depth === 1).length).toBe(4); // first block of each stage
  });

  it.each(Array.from({ length: 7 }, (_, i) => i))("cut at candidate %i equals the full model", async (i) => {
    const feeds = resnetFeeds(4, i);
    const split = splitModel(decodeModel(bytes), [taps[i]!.name]);
    expect(split.carried).toEqual([]);
    expect(
      maxAbsDiff(await runSegments(split.segments, feeds), await runFull(bytes, feeds)),
    ).toBeLessThanOrEqual(1e-4);
  });
});

describe("splitModel errors", () => {
  it("names the candidates when a tap is unknown", () => {
    const model = decodeModel(fixtureBytes("resnet"));
    try {
      splitModel(model, ["/resnet/encoder/stages.9/nothing"]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SideNetError);
      expect((e as SideNetError).code).toBe("UNKNOWN_TAP");
      expect((e as Error).message).toMatch(/stages\.9\/nothing/);
      expect((e as Error).message).toMatch(
        /\/resnet\/encoder\/stages\.1\/layers\/layers\.1\/activation\/Relu_output_0/,
      );
    }
  });

  it("rejects taps out of graph order", () => {
    const model = decodeModel(fixtureBytes("bert"));
    const [a, b] = findTapCandidates(model);
    expect(() => splitModel(model, [b!.name, a!.name])).toThrow(/graph order/);
  });
});
