import { describe, expect, it } from "vitest";
import { decodeModel } from "../src/index.js";
import { countFlops, encodeModel, flopsProbe } from "../src/internal.js";

const FLOAT = 1;
const tensor = (name: string, dims: number[]) => ({
  name,
  dataType: FLOAT,
  dims,
  floatData: new Array(dims.reduce((a, b) => a * b, 1)).fill(0.5),
});
const io = (name: string) => ({ name, type: { tensorType: { elemType: FLOAT } } });

/** x [B, 3, 8, 8] → Conv(4 filters, 3×3, stride 1, pad 1) → Relu → GlobalAveragePool → Flatten → MatMul W [4, 5] → y */
const model = decodeModel(
  encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 14 }],
    graph: {
      name: "g",
      node: [
        {
          name: "/conv",
          opType: "Conv",
          input: ["x", "k"],
          output: ["c"],
          attribute: [{ name: "pads", ints: [1, 1, 1, 1], type: 7 }],
        },
        { name: "/relu", opType: "Relu", input: ["c"], output: ["r"] },
        { name: "/gap", opType: "GlobalAveragePool", input: ["r"], output: ["p"] },
        { name: "/flat", opType: "Flatten", input: ["p"], output: ["f"] },
        { name: "/mm", opType: "MatMul", input: ["f", "w"], output: ["y"] },
      ],
      initializer: [tensor("k", [4, 3, 3, 3]), tensor("w", [4, 5])],
      input: [io("x")],
      output: [io("y")],
    },
  }),
);

describe("FLOPs counted on the graph", () => {
  it("asks the run for the shapes it needs and counts Conv and MatMul", () => {
    const probe = flopsProbe(model);
    expect(new Set(probe.tensors)).toEqual(new Set(["c", "f"]));
    const outputs = decodeModel(probe.bytes).graph!.output!.map((o) => o.name);
    expect(outputs).toEqual(["y", ...probe.tensors]);
    const B = 2;
    const f = countFlops(model, { x: [B, 3, 8, 8], c: [B, 4, 8, 8], f: [B, 4], y: [B, 5] });
    const conv = 2 * (B * 4 * 8 * 8) * (3 * 3 * 3);
    const mm = 2 * (B * 5) * 4;
    expect(f.total).toBe(conv + mm);
    expect(f.shareBefore("r")).toBeCloseTo(conv / (conv + mm), 12);
    expect(f.shareBefore("y")).toBe(1);
    expect(f.shareBefore("x")).toBe(0);
  });
});
