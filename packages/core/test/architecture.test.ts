import { describe, expect, it } from "vitest";
import { IncompatibleModelError } from "../src/index.js";
import { type Architecture, architectureOf, tapLabel } from "../src/runtime/index.js";

const seq: Architecture = {
  family: "seq",
  modelTypes: ["bert", "bert-like"],
  task: "text-classification",
  processor: "AutoTokenizer",
  tapLayout: "sequence",
  poolings: ["cls", "mean"],
  tapName: (t) => (/layer\.(\d+)\//.exec(t) ? `layer ${/layer\.(\d+)\//.exec(t)![1]}` : undefined),
};
const map: Architecture = {
  ...seq,
  family: "map",
  modelTypes: ["resnet"],
  task: "image-classification",
  tapLayout: "feature-map",
  poolings: ["global-average"],
  tapName: () => undefined,
};

describe("architecture registry", () => {
  it("finds the family covering a model_type", () => {
    expect(architectureOf([seq, map], "resnet", "config.json").family).toBe("map");
    expect(architectureOf([seq, map], "bert-like", "config.json").family).toBe("seq");
  });

  it("refuses another model_type, listing the supported ones and saying --taps works on any graph", () => {
    const call = () => architectureOf([seq, map], "llama", "m/config.json");
    expect(call).toThrow(IncompatibleModelError);
    expect(call).toThrow(/^m\/config\.json: model_type "llama" is not in sidenet's registry/);
    expect(call).toThrow(/supported: bert, bert-like, resnet/);
    expect(call).toThrow(/--taps/);
  });

  it("names taps by the first family that knows them, else by the tensor name", () => {
    expect(tapLabel([map, seq], "/bert/encoder/layer.3/output/x")).toBe("layer 3");
    expect(tapLabel([map, seq], "/pooler/out")).toBe("/pooler/out");
  });
});
