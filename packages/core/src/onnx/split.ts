import type { onnx } from "onnx-proto";
import { IncompatibleModelError, SideNetError } from "../errors.js";
import { encodeModel, GraphIndex, type ModelProto } from "./graph.js";
import { findTapCandidates } from "./taps.js";

/** One piece of a split MainNet. */
export interface Segment {
  /** Tensors this segment reads: the previous tap, carried tensors, or graph inputs. */
  inputs: string[];
  /** Tensors it produces for later segments (its tap, carried tensors) or the graph outputs. */
  outputs: string[];
  /** The segment as a standalone ONNX model. */
  bytes: Uint8Array;
  /** Number of nodes and of initializer elements (weights) in it. */
  nodeCount: number;
  weightCount: number;
}

/** Result of {@link splitModel}. */
export interface SplitResult {
  taps: string[];
  segments: Segment[];
  /** Every tensor carried across a cut other than the taps (e.g. BERT's extended attention mask). */
  carried: string[];
  /**
   * The carried tensors that depend on the inputs' shapes only, not their values (e.g. DeBERTa's relative
   * positions, `[tokens, tokens]`): the same for every row, so row compaction must pass them whole.
   */
  shared: string[];
}

const count = (t: onnx.ITensorProto) => (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);

/**
 * Cuts a MainNet's ONNX graph at the tap tensors into `taps.length + 1` standalone segments
 * (design.md §2). Segment 0 maps the graph inputs to tap 0; segment i maps tap i−1 (plus carried
 * tensors) to tap i; the last one ends with the graph outputs. Tensors a later segment still reads
 * that were computed before its cut are carried (added to the earlier segment's outputs), except
 * constant-only subgraphs (Constant nodes, shape arithmetic on initializers), which are copied in.
 * Graph inputs a later segment reads (e.g. `attention_mask`) are fed to it from the original inputs.
 *
 * @throws {SideNetError} code `UNKNOWN_TAP` with the candidate list when a tap is not a tensor of the graph.
 */
export function splitModel(model: ModelProto, taps: readonly string[]): SplitResult {
  const g = new GraphIndex(model);
  for (const tap of taps) {
    if (!g.producer.has(tap)) {
      const candidates = findTapCandidates(model).map((c) => `  ${c.name}`);
      throw new SideNetError(
        "UNKNOWN_TAP",
        `splitModel: "${tap}" is not a tensor computed by the graph. Taps found by structure:\n${candidates.join("\n")}\n` +
          "Pass one of these, or any node output name (see `sidenet inspect`).",
      );
    }
  }
  const order = [...taps].sort((a, b) => g.producer.get(a)! - g.producer.get(b)!);
  if (order.some((t, i) => t !== taps[i])) {
    throw new IncompatibleModelError(`splitModel: taps must be given in graph order: ${order.join(", ")}.`);
  }
  for (let i = 1; i < taps.length; i++) {
    if (!g.ancestors([taps[i]!]).has(g.producer.get(taps[i - 1]!)!)) {
      throw new IncompatibleModelError(
        `splitModel: tap "${taps[i]}" does not depend on tap "${taps[i - 1]}"; taps must lie on one chain.`,
      );
    }
  }

  const k = taps.length;
  const wanted: Set<string>[] = Array.from({ length: k + 1 }, () => new Set<string>());
  for (const o of g.graphOutputs) wanted[k]!.add(o);
  const built: { nodes: Set<number>; inputs: string[]; outputs: string[] }[] = [];
  const carried = new Set<string>();
  const constMemo = new Map<number, boolean>();

  for (let j = k; j >= 0; j--) {
    const cut = j === 0 ? new Set<string>() : new Set([taps[j - 1]!]);
    const prefix = j === 0 ? new Set<number>() : g.ancestors(cut);
    const nodes = new Set<number>();
    const inputs = new Set<string>(cut);
    const stack = [...wanted[j]!];
    const visited = new Set<string>();
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (visited.has(x)) continue;
      visited.add(x);
      if (cut.has(x) || g.initializers.has(x)) continue;
      if (g.graphInputs.has(x)) {
        inputs.add(x);
        continue;
      }
      const p = g.producer.get(x);
      if (p === undefined)
        throw new IncompatibleModelError(`splitModel: tensor "${x}" has no producer in the graph.`);
      if (prefix.has(p) && !g.isConstantOnly(p, constMemo)) {
        inputs.add(x);
        carried.add(x);
        wanted[j - 1]!.add(x);
        continue;
      }
      nodes.add(p);
      for (const y of g.nodes[p]!.input ?? []) if (y) stack.push(y);
    }
    if (j > 0) wanted[j - 1]!.add(taps[j - 1]!);
    built[j] = { nodes, inputs: [...inputs], outputs: [...wanted[j]!].filter((o) => !inputs.has(o)) };
  }

  const segments = built.map((s) => buildSegment(g, s.nodes, s.inputs, s.outputs));
  const valueDependent = g.valueDependent();
  const carriedList = [...carried];
  const shared = carriedList.filter((x) => !valueDependent.has(x));
  return { taps: [...taps], segments, carried: carriedList, shared };
}

/** A value_info for a cut tensor: the original one, or its inferred element type without a shape. @internal */
export function valueInfo(g: GraphIndex, name: string): onnx.IValueInfoProto {
  const elemType = g.elemType(name);
  if (elemType === undefined) {
    throw new IncompatibleModelError(
      `splitModel: the element type of cut tensor "${name}" is unknown (no value_info and no rule for its op). ` +
        "Run ONNX shape inference on the model first, or choose another tap.",
    );
  }
  const original = [...(g.model.graph!.input ?? []), ...(g.model.graph!.output ?? [])].find(
    (v) => v.name === name,
  );
  return original ?? { name, type: { tensorType: { elemType } } };
}

function buildSegment(g: GraphIndex, nodeSet: Set<number>, inputs: string[], outputs: string[]): Segment {
  const nodes = [...nodeSet].sort((a, b) => a - b).map((i) => g.nodes[i]!);
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const initializer = [...g.initializers.values()].filter((t) => used.has(t.name!));
  const model = g.model;
  const bytes = encodeModel({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    producerName: "sidenet",
    producerVersion: "0.1.0",
    graph: {
      name: model.graph!.name,
      node: nodes,
      initializer,
      input: inputs.map((n) => valueInfo(g, n)),
      output: outputs.map((n) => valueInfo(g, n)),
    },
  });
  return {
    inputs,
    outputs,
    bytes,
    nodeCount: nodes.length,
    weightCount: initializer.reduce((a, t) => a + count(t), 0),
  };
}
