import onnxProto, { type onnx } from "onnx-proto";

import { CorruptArtefactError } from "../errors.js";

export type ModelProto = onnx.ModelProto;
export type NodeProto = onnx.INodeProto;
/** The onnx-proto namespace. onnx-proto is CommonJS: a named value import fails under Node's ESM loader. */
const proto = onnxProto.onnx;
export const TensorDataType = proto.TensorProto.DataType;
export const AttributeType = proto.AttributeProto.AttributeType;

/** Decodes ONNX bytes, naming `file` if they are not a model. */
export function decodeModel(bytes: Uint8Array, file = "<onnx>"): ModelProto {
  try {
    const m = proto.ModelProto.decode(bytes);
    if (!m.graph) throw new Error("no graph");
    return m;
  } catch (e) {
    throw new CorruptArtefactError(
      file,
      `not an ONNX model (${(e as Error).message}). Re-export or re-download it.`,
      {
        cause: e,
      },
    );
  }
}

export function encodeModel(m: onnx.IModelProto): Uint8Array {
  return proto.ModelProto.encode(m).finish();
}

/** Indexes of a graph: producers, consumers, initializers, inputs and element types. @internal */
export class GraphIndex {
  readonly nodes: NodeProto[];
  readonly producer = new Map<string, number>();
  readonly consumers = new Map<string, number[]>();
  readonly initializers = new Map<string, onnx.ITensorProto>();
  readonly graphInputs: Set<string>;
  readonly graphOutputs: string[];
  private readonly types = new Map<string, number>();

  constructor(readonly model: ModelProto) {
    const g = model.graph!;
    this.nodes = g.node ?? [];
    for (const t of g.initializer ?? []) this.initializers.set(t.name!, t);
    this.graphInputs = new Set((g.input ?? []).map((i) => i.name!).filter((n) => !this.initializers.has(n)));
    this.graphOutputs = (g.output ?? []).map((o) => o.name!);
    this.nodes.forEach((n, i) => {
      for (const o of n.output ?? []) if (o) this.producer.set(o, i);
      for (const x of n.input ?? []) {
        if (!x) continue;
        const list = this.consumers.get(x);
        if (list) list.push(i);
        else this.consumers.set(x, [i]);
      }
    });
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) {
      const t = v.type?.tensorType?.elemType;
      if (t) this.types.set(v.name!, t);
    }
    for (const t of g.initializer ?? []) if (t.dataType) this.types.set(t.name!, t.dataType);
    this.inferTypes();
  }

  /** Element type (onnx.TensorProto.DataType) of a tensor, or undefined when unknown. */
  elemType(name: string): number | undefined {
    return this.types.get(name);
  }

  /** Indices of the nodes that `targets` depend on (transitively), stopping at `stops`. */
  ancestors(targets: Iterable<string>, stops: ReadonlySet<string> = new Set()): Set<number> {
    const seen = new Set<number>();
    const stack = [...targets];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (stops.has(t)) continue;
      const p = this.producer.get(t);
      if (p === undefined || seen.has(p)) continue;
      seen.add(p);
      for (const x of this.nodes[p]!.input ?? []) if (x) stack.push(x);
    }
    return seen;
  }

  /**
   * Tensors whose values depend on a graph input's values; the outputs of Shape and Size (and what is
   * computed from them and constants only) depend on the inputs' shapes alone. One pass in graph order.
   */
  valueDependent(): Set<string> {
    const dep = new Set<string>(this.graphInputs);
    for (const n of this.nodes) {
      if (n.opType === "Shape" || n.opType === "Size") continue;
      if ((n.input ?? []).some((x) => dep.has(x))) for (const o of n.output ?? []) if (o) dep.add(o);
    }
    return dep;
  }

  /** True when a node depends on no graph input (only Constants and initializers). */
  isConstantOnly(nodeIndex: number, memo = new Map<number, boolean>()): boolean {
    const cached = memo.get(nodeIndex);
    if (cached !== undefined) return cached;
    memo.set(nodeIndex, false);
    const ok = (this.nodes[nodeIndex]!.input ?? []).every((x) => {
      if (!x || this.initializers.has(x)) return true;
      if (this.graphInputs.has(x)) return false;
      const p = this.producer.get(x);
      return p !== undefined && this.isConstantOnly(p, memo);
    });
    memo.set(nodeIndex, ok);
    return ok;
  }

  /** Element-type propagation by op rules, for graphs exported without value_info. */
  private inferTypes(): void {
    const T = proto.TensorProto.DataType;
    const fixed: Record<string, number> = {
      Shape: T.INT64,
      Size: T.INT64,
      NonZero: T.INT64,
      ArgMax: T.INT64,
      ArgMin: T.INT64,
      Equal: T.BOOL,
      Less: T.BOOL,
      LessOrEqual: T.BOOL,
      Greater: T.BOOL,
      GreaterOrEqual: T.BOOL,
      Not: T.BOOL,
      And: T.BOOL,
      Or: T.BOOL,
      Xor: T.BOOL,
      IsNaN: T.BOOL,
      IsInf: T.BOOL,
      MatMulInteger: T.INT32,
      ConvInteger: T.INT32,
    };
    for (const n of this.nodes) {
      const outs = n.output ?? [];
      const ins = (n.input ?? []).map((x) => (x ? this.types.get(x) : undefined));
      const attr = (name: string) => n.attribute?.find((a) => a.name === name);
      let types: (number | undefined)[];
      switch (n.opType) {
        case "Cast":
          types = [Number(attr("to")?.i ?? 0)];
          break;
        case "Constant":
          types = [
            attr("value")?.t?.dataType ??
              (attr("value_float") ? T.FLOAT : attr("value_int") ? T.INT64 : undefined),
          ];
          break;
        case "ConstantOfShape":
          types = [attr("value")?.t?.dataType ?? T.FLOAT];
          break;
        case "DynamicQuantizeLinear":
          types = [T.UINT8, T.FLOAT, T.UINT8];
          break;
        case "QuantizeLinear":
          types = [ins[2] ?? T.UINT8];
          break;
        case "DequantizeLinear":
          types = [ins[1] ?? T.FLOAT]; // the scale's type
          break;
        case "Where":
          types = [ins[1]];
          break;
        default:
          types = outs.map(() => fixed[n.opType ?? ""] ?? ins[0]);
      }
      outs.forEach((o, i) => {
        const t = types[i] ?? types[0];
        if (o && t && !this.types.has(o)) this.types.set(o, t);
      });
    }
  }
}
