import type { onnx } from "onnx-proto";
import { IncompatibleModelError } from "../errors.js";
import type { MlpHead } from "../head/mlp-head.js";
import { float16Bytes } from "../math/float16.js";
import { AttributeType, decodeModel, encodeModel, GraphIndex, TensorDataType } from "./graph.js";

/**
 * An exit's pooling as ONNX nodes: from the tap (and `inputs`, graph inputs such as `attention_mask`) to
 * `output`, a float `[rows, features]` tensor. Built only from ops whose signature has not changed since
 * opset 8 (MatMul, Reshape, Cast, Gather, GlobalAveragePool, Flatten, Div, Max), so any MainNet export fits.
 */
export interface PoolingGraph {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  /** Graph inputs the pooling reads besides the tap. */
  inputs: string[];
  output: string;
}

/** An ONNX node. */
export const node = (
  opType: string,
  input: string[],
  output: string,
  attribute: onnx.IAttributeProto[] = [],
): onnx.INodeProto => ({ opType, input, output: [output], name: output, attribute });

/** An int attribute (e.g. `axis`). */
export const intAttr = (name: string, i: number): onnx.IAttributeProto => ({
  name,
  type: AttributeType.INT,
  i,
});

/** An ints attribute (e.g. `perm`). */
export const intsAttr = (name: string, ints: number[]): onnx.IAttributeProto => ({
  name,
  type: AttributeType.INTS,
  ints,
});

/** A float32 initializer. */
export const floats = (name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto => ({
  name,
  dims,
  dataType: TensorDataType.FLOAT,
  floatData: Array.from(values),
});

/** An int64 initializer (a vector by default; `dims` `[]` for a scalar). */
export const int64s = (name: string, values: number[], dims = [values.length]): onnx.ITensorProto => ({
  name,
  dims,
  dataType: TensorDataType.INT64,
  int64Data: values,
});

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** The head `Linear → activation → Linear` as nodes from `x` `[rows, inputSize]` to `output` `[rows, classes]`. */
function headNodes(head: MlpHead, x: string, p: string, output: string) {
  const { inputSize: I, hiddenSize: H, classes: C, activation } = head.shape;
  const initializers = [
    floats(`${p}w1`, [I, H], head.w1),
    floats(`${p}b1`, [H], head.b1),
    floats(`${p}w2`, [H, C], head.w2),
    floats(`${p}b2`, [C], head.b2),
  ];
  const nodes = [node("MatMul", [x, `${p}w1`], `${p}xw1`), node("Add", [`${p}xw1`, `${p}b1`], `${p}pre`)];
  if (activation === "relu") {
    nodes.push(node("Relu", [`${p}pre`], `${p}hidden`));
  } else {
    // GELU, tanh approximation (as MlpHead): 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
    initializers.push(
      floats(`${p}gelu_a`, [], [0.044715]),
      floats(`${p}gelu_k`, [], [SQRT_2_OVER_PI]),
      floats(`${p}one`, [], [1]),
      floats(`${p}half`, [], [0.5]),
    );
    nodes.push(
      node("Mul", [`${p}pre`, `${p}pre`], `${p}x2`),
      node("Mul", [`${p}x2`, `${p}pre`], `${p}x3`),
      node("Mul", [`${p}x3`, `${p}gelu_a`], `${p}ax3`),
      node("Add", [`${p}pre`, `${p}ax3`], `${p}inner`),
      node("Mul", [`${p}inner`, `${p}gelu_k`], `${p}kinner`),
      node("Tanh", [`${p}kinner`], `${p}tanh`),
      node("Add", [`${p}tanh`, `${p}one`], `${p}onep`),
      node("Mul", [`${p}pre`, `${p}onep`], `${p}xonep`),
      node("Mul", [`${p}xonep`, `${p}half`], `${p}hidden`),
    );
  }
  nodes.push(node("MatMul", [`${p}hidden`, `${p}w2`], `${p}hw2`), node("Add", [`${p}hw2`, `${p}b2`], output));
  return { nodes, initializers };
}

/**
 * The pooling and head nodes in float16, for a tap of an fp16 graph: float initializers become float16,
 * Casts to float cast to float16, and a last Cast turns the logits into float32 `output`, as every
 * consumer of the exits' logits reads them.
 */
function inFloat16(nodes: onnx.INodeProto[], initializers: onnx.ITensorProto[], output: string) {
  const half = `${output}/float16`;
  const converted: onnx.INodeProto[] = nodes.map((n) => ({
    ...n,
    output: (n.output ?? []).map((o) => (o === output ? half : o)),
    name: n.name === output ? half : n.name,
    attribute: (n.attribute ?? []).map((a) =>
      n.opType === "Cast" && a.name === "to" && Number(a.i) === TensorDataType.FLOAT
        ? { ...a, i: TensorDataType.FLOAT16 }
        : a,
    ),
  }));
  converted.push(node("Cast", [half], output, [intAttr("to", TensorDataType.FLOAT)]));
  const tensors = initializers.map((t) =>
    t.dataType === TensorDataType.FLOAT
      ? {
          name: t.name,
          dims: t.dims,
          dataType: TensorDataType.FLOAT16,
          rawData: float16Bytes(t.floatData ?? []),
        }
      : t,
  );
  return { nodes: converted, initializers: tensors };
}

/** Result of {@link foldHead}. */
export interface FoldedSegment {
  bytes: Uint8Array;
  /** The segment's inputs, with those the pooling added. */
  inputs: string[];
}

/**
 * Adds an exit's pooling and head to the segment that ends at its tap, so one session call yields the
 * tap and the exit's raw logits (`output`, `[rows, classes]`, before temperature scaling): no copy of
 * the tap into JavaScript and ORT's matrix kernels for the head. `inputInfo` gives the value_info of a
 * graph input the pooling reads and the segment did not (from the MainNet's graph). The head runs in the
 * tap's precision: float32, or float16 for a float16 tap (an fp16 or q4f16 graph), with float32 logits.
 */
export function foldHead(
  segmentBytes: Uint8Array,
  o: {
    tap: string;
    pooling: PoolingGraph;
    head: MlpHead;
    output: string;
    inputInfo(name: string): onnx.IValueInfoProto | undefined;
  },
): FoldedSegment {
  const model = decodeModel(segmentBytes);
  const g = model.graph!;
  const outputs = (g.output ?? []).map((v) => v.name);
  if (!outputs.includes(o.tap)) {
    throw new IncompatibleModelError(`foldHead: the segment does not produce the tap "${o.tap}".`);
  }
  const taken = new Set([
    ...(g.node ?? []).flatMap((n) => n.output ?? []),
    ...(g.initializer ?? []).map((t) => t.name),
    ...(g.input ?? []).map((v) => v.name),
  ]);
  const fp32 = headNodes(o.head, o.pooling.output, `${o.output}/`, o.output);
  let nodes = [...o.pooling.nodes, ...fp32.nodes];
  let initializers = [...o.pooling.initializers, ...fp32.initializers];
  const tapType = new GraphIndex(model).elemType(o.tap);
  if (tapType === TensorDataType.FLOAT16)
    ({ nodes, initializers } = inFloat16(nodes, initializers, o.output));
  else if (tapType !== undefined && tapType !== TensorDataType.FLOAT) {
    throw new IncompatibleModelError(
      `foldHead: the tap "${o.tap}" has element type ${tapType}; a head folds onto a float32 or float16 tap. Choose a tap after the graph's float computation.`,
    );
  }
  const added = nodes.map((n) => n.output![0]!);
  const clash = [...added, ...initializers.map((t) => t.name!)].find((n) => taken.has(n));
  if (clash !== undefined) {
    throw new IncompatibleModelError(`foldHead: the segment already has a tensor named "${clash}".`);
  }
  const inputs = (g.input ?? []).map((v) => v.name!);
  for (const x of o.pooling.inputs) {
    if (inputs.includes(x)) continue;
    const info = o.inputInfo(x);
    if (!info)
      throw new IncompatibleModelError(`foldHead: the pooling reads "${x}", which is not a graph input.`);
    g.input = [...(g.input ?? []), info];
    inputs.push(x);
  }
  g.node = [...(g.node ?? []), ...nodes];
  g.initializer = [...(g.initializer ?? []), ...initializers];
  g.output = [
    ...(g.output ?? []),
    { name: o.output, type: { tensorType: { elemType: TensorDataType.FLOAT } } },
  ];
  return { bytes: encodeModel(model), inputs };
}
