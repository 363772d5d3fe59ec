/**
 * Test helper: a one-node graph whose output is the tap, folded with a pooling graph and a head, run in
 * onnxruntime-node.
 */
import fc from "fast-check";
import * as ort from "onnxruntime-node";
import { MlpHead } from "../../src/index.js";
import { type Activation, encodeModel, foldHead, node, TensorDataType } from "../../src/internal.js";
import type { Pooling } from "../../src/runtime/index.js";
import { SESSION_OPTIONS } from "./fixtures.js";

/** A graph input fed to the tap: name, ORT tensor (its element type and rank are declared as inputs). */
export interface FoldFeed {
  name: string;
  tensor: ort.Tensor;
}

const ELEM: Record<string, number> = { float32: TensorDataType.FLOAT, int64: TensorDataType.INT64 };

/** Logits of `head` folded after `pooling`'s graph of `tap` (= Identity(feeds[0])), computed by ORT. */
export async function foldedLogits(
  pooling: Pooling,
  head: MlpHead,
  feeds: FoldFeed[],
): Promise<Float32Array> {
  const info = (f: FoldFeed) => ({
    name: f.name,
    type: {
      tensorType: {
        elemType: ELEM[f.tensor.type]!,
        shape: { dim: f.tensor.dims.map((_, i) => ({ dimParam: `${f.name}_${i}` })) },
      },
    },
  });
  const [x, ...rest] = feeds;
  const segment = encodeModel({
    irVersion: 7,
    opsetImport: [{ domain: "", version: 14 }],
    graph: {
      name: "tap",
      node: [node("Identity", [x!.name], "tap")],
      input: [info(x!)],
      output: [{ name: "tap", type: { tensorType: { elemType: TensorDataType.FLOAT } } }],
    },
  });
  const folded = foldHead(segment, {
    tap: "tap",
    pooling: pooling.graph("tap", "exit/pool/"),
    head,
    output: "exit_logits",
    inputInfo: (name) => {
      const f = rest.find((r) => r.name === name);
      return f && info(f);
    },
  });
  const session = await ort.InferenceSession.create(folded.bytes, SESSION_OPTIONS);
  try {
    const out = await session.run(Object.fromEntries(feeds.map((f) => [f.name, f.tensor])));
    return out.exit_logits!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** A random head with `inputSize` inputs: hidden size, classes, activation and seed from fast-check. */
export const headArb = (inputSize: number) =>
  fc
    .record({
      hiddenSize: fc.integer({ min: 1, max: 6 }),
      classes: fc.integer({ min: 2, max: 4 }),
      activation: fc.constantFrom<Activation>("relu", "gelu"),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ seed, ...s }) => MlpHead.init({ inputSize, ...s }, seed));

/** Float32 values in [−4, 4] (`n` of them). */
export const valuesArb = (n: number) =>
  fc.float32Array({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true, minLength: n, maxLength: n });

export { ort };
