import { encodeModel, GraphIndex, type ModelProto } from "./graph.js";
import { valueInfo } from "./split.js";

const HEAVY = new Set(["MatMul", "Gemm", "Conv", "MatMulInteger", "ConvInteger"]);

/** The tensors whose runtime shapes FLOPs counting needs, and the model bytes that output them too. */
export interface FlopsProbe {
  bytes: Uint8Array;
  tensors: string[];
}

/**
 * A copy of `model` that also outputs the input and output of every MatMul/Gemm/Conv (and a weight that
 * is not an initializer), so that one run on a representative batch gives every shape FLOPs need,
 * whatever reshapes the export computes at run time.
 */
export function flopsProbe(model: ModelProto): FlopsProbe {
  const g = new GraphIndex(model);
  const tensors = new Set<string>();
  for (const n of g.nodes) {
    if (!HEAVY.has(n.opType ?? "")) continue;
    const [a, w] = n.input ?? [];
    if (a) tensors.add(a);
    if (w && !g.initializers.has(w)) tensors.add(w);
    if (n.output?.[0]) tensors.add(n.output[0]);
  }
  for (const o of g.graphOutputs) tensors.delete(o);
  for (const i of g.graphInputs) tensors.delete(i);
  const list = [...tensors];
  const graph = model.graph!;
  const bytes = encodeModel({
    ...model,
    graph: { ...graph, output: [...(graph.output ?? []), ...list.map((t) => valueInfo(g, t))] },
  });
  return { bytes, tensors: list };
}

const size = (d: readonly number[]) => d.reduce((a, x) => a * x, 1);

/** Multiply–adds × 2 of every heavy node, from the shapes one run of a {@link flopsProbe} produced. */
export interface FlopsCount {
  total: number;
  /** FLOPs of the nodes a tensor depends on (the work before a tap), as a share of the total. */
  shareBefore(tensor: string): number;
}

/**
 * Counts FLOPs on the graph: MatMul and Gemm `2·|out|·K`, Conv `2·|out|·(C_in/groups)·k_h·k_w`, with
 * shapes observed in one run (`dims`: every tensor the probe listed, plus graph inputs and outputs).
 * Element-wise ops, softmax and normalisation are left out (small next to these in BERT and ResNet).
 */
export function countFlops(model: ModelProto, dims: Record<string, readonly number[]>): FlopsCount {
  const g = new GraphIndex(model);
  const shape = (t: string): readonly number[] | undefined => {
    const init = g.initializers.get(t);
    return init ? (init.dims ?? []).map(Number) : dims[t];
  };
  const flops = new Float64Array(g.nodes.length);
  for (const [i, n] of g.nodes.entries()) {
    const op = n.opType ?? "";
    if (!HEAVY.has(op)) continue;
    const out = shape(n.output?.[0] ?? "");
    const a = shape(n.input?.[0] ?? "");
    const w = shape(n.input?.[1] ?? "");
    if (!out || !a || !w) continue;
    if (op === "Conv" || op === "ConvInteger") {
      flops[i] = 2 * size(out) * size(w.slice(1));
    } else if (op === "Gemm") {
      const transA = (n.attribute ?? []).find((x) => x.name === "transA")?.i;
      flops[i] = 2 * size(out) * (Number(transA ?? 0) ? a[0]! : a[a.length - 1]!);
    } else {
      flops[i] = 2 * size(out) * a[a.length - 1]!;
    }
  }
  const total = flops.reduce((s, x) => s + x, 0);
  return {
    total,
    shareBefore(tensor) {
      let s = 0;
      for (const i of g.ancestors([tensor])) s += flops[i]!;
      return total > 0 ? s / total : 0;
    },
  };
}
