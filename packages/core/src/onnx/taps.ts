import { GraphIndex, type ModelProto, TensorDataType } from "./graph.js";

/** A tensor between repeated blocks where a SideNet can be attached. */
export interface TapCandidate {
  /** Tensor name in the graph. */
  name: string;
  /** The block scope it ends, e.g. "/bert/encoder/layer.3" or "/resnet/encoder/stages.1". */
  block: string;
  /** Nesting depth of the block (0 = outermost repeated blocks, e.g. layers or stages). */
  depth: number;
  /**
   * Share of the graph's MatMul/Gemm/Conv weight elements used before this tap. A rough cost proxy for
   * transformers (cost per token is proportional to weights); not for CNNs, whose cost also scales with
   * spatial size: measure segment latency for those.
   */
  weightShare: number;
}

const BLOCK = /^(.*?\/[A-Za-z_]+\.(\d+))(?=\/)/;

/** Taps with this share of the heavy weights before them, or more, are dropped: too little is left to skip. */
export const MAX_TAP_WEIGHT_SHARE = 0.99;

/** Options of {@link findTapCandidates}. */
export interface FindTapOptions {
  /** Keep only taps whose {@link TapCandidate.weightShare} is below this (default {@link MAX_TAP_WEIGHT_SHARE}). */
  maxWeightShare?: number;
}

/**
 * Finds candidate taps by structure: node scopes with a numbered repeated block (`layer.N`, `stages.N`,
 * `layers.N`, at any depth and under any model prefix), whose block output is the tensor computed inside
 * block N that the next block (N+1) or the rest of the graph reads. Works for the exports of every family in
 * the README's coverage table (ALBERT's shared layer through its numbered repeats) and ResNet; where it
 * finds nothing, {@link suggestTaps} lists clean cuts, and any node output can be named as a tap.
 */
export function findTapCandidates(model: ModelProto, options: FindTapOptions = {}): TapCandidate[] {
  const maxWeightShare = options.maxWeightShare ?? MAX_TAP_WEIGHT_SHARE;
  const g = new GraphIndex(model);
  const blocks = new Map<string, { depth: number }>();
  for (const n of g.nodes) {
    const name = n.name ?? "";
    let rest = name;
    let depth = 0;
    let prefix = "";
    for (;;) {
      const m = BLOCK.exec(rest);
      if (!m) break;
      prefix += m[1]!;
      blocks.set(prefix, { depth });
      rest = rest.slice(m[1]!.length);
      depth++;
    }
  }
  const totalWeights = heavyWeights(g, new Set(g.nodes.keys())) || 1;
  const heavy = heavyBehind(g);
  const out: TapCandidate[] = [];
  for (const [block, { depth }] of blocks) {
    // The hidden state: the latest float tensor produced inside the block that has heavy work behind it
    // and a clean cut (everything else crossing it is cheap, e.g. an attention mask). This skips side
    // outputs (a mask computed once inside layer 0), cuts inside residual blocks (the skip would cross)
    // and quantisation helpers named after the tensor they quantise (DynamicQuantizeLinear scales).
    const produced: string[] = [];
    for (const n of g.nodes) {
      if (!(n.name ?? "").startsWith(`${block}/`)) continue;
      for (const o of n.output ?? []) if (o && isFloat(g.elemType(o)) && heavy.has(o)) produced.push(o);
    }
    let best: string | undefined;
    let before = new Set<number>();
    for (let k = produced.length - 1; k >= 0 && best === undefined; k--) {
      const anc = g.ancestors([produced[k]!]);
      if (crossingIsCheap(g, produced[k]!, anc, heavy)) {
        best = produced[k]!;
        before = anc;
      }
    }
    if (best === undefined) continue;
    const twins = repeatTwins(g, best, produced, heavy);
    if (twins.length === 0) {
      out.push({ name: best, block, depth, weightShare: heavyWeights(g, before) / totalWeights });
      continue;
    }
    // one module applied several times (ALBERT's shared layer): one tap per application, in graph order
    const repeats = [...twins, { name: best, before }].sort(
      (a, b) => g.producer.get(a.name)! - g.producer.get(b.name)!,
    );
    for (const [i, r] of repeats.entries()) {
      const weightShare = heavyWeights(g, r.before) / totalWeights;
      out.push({ name: r.name, block: `${block}#${i}`, depth, weightShare });
    }
  }
  out.sort((a, b) => g.producer.get(a.name)! - g.producer.get(b.name)! || a.depth - b.depth);
  // one entry per tensor (a stage and its last block end at the same tensor: keep the outer block), and
  // only taps with enough heavy weights after them (by default 1 %: nothing to save after the last layer)
  return out.filter((c, i) => (i === 0 || out[i - 1]!.name !== c.name) && c.weightShare < maxWeightShare);
}

/**
 * Where one module is applied several times under one scope (weights shared across layers, as in ALBERT),
 * the exporter numbers the repeated scopes (`full_layer_layer_norm`, `full_layer_layer_norm_1`, …) but not
 * the block. The block's output `best` then has one twin per other application: the clean cuts whose name
 * is `best`'s with the repeat numbers removed. Returns the twins with their ancestors (none: no repeats).
 */
function repeatTwins(
  g: GraphIndex,
  best: string,
  produced: readonly string[],
  heavy: Set<string>,
): { name: string; before: Set<number> }[] {
  const pattern = repeatPattern(best);
  const twins: { name: string; before: Set<number> }[] = [];
  for (const t of produced) {
    if (t === best || repeatPattern(t) !== pattern) continue;
    const before = g.ancestors([t]);
    if (crossingIsCheap(g, t, before, heavy)) twins.push({ name: t, before });
  }
  return twins;
}

const CUT_OPS = new Set(["Add", "LayerNormalization", "Relu", "Gelu", "Tanh"]);

/**
 * For graphs where {@link findTapCandidates} finds nothing (no numbered blocks in the node names): up to
 * `limit` tensors, evenly spread in graph order, that cut the graph cleanly with heavy work behind them —
 * outputs of residual adds, norms and activations on the main path. Shown in errors so that a user can
 * name taps without reading the graph.
 */
export function suggestTaps(model: ModelProto, limit = 12): string[] {
  const g = new GraphIndex(model);
  const heavy = heavyBehind(g);
  const cuts: string[] = [];
  for (const n of g.nodes) {
    if (!CUT_OPS.has(n.opType ?? "")) continue;
    const o = n.output?.[0];
    if (!o || !isFloat(g.elemType(o)) || !heavy.has(o)) continue;
    if (crossingIsCheap(g, o, g.ancestors([o]), heavy)) cuts.push(o);
  }
  if (cuts.length <= limit) return cuts;
  return Array.from({ length: limit }, (_, i) => cuts[Math.floor(((i + 0.5) * cuts.length) / limit)]!);
}

/** A tensor name with the exporter's repeat numbers (`_N` at the end of a scope) removed. */
export function repeatPattern(name: string): string {
  const parts = name.split("/");
  return parts.map((p, i) => (i < parts.length - 1 ? p.replace(/_\d+$/, "") : p)).join("/");
}

/** float32 or float16 (fp16 and q4f16 graphs compute in float16): the element types a hidden state has. */
const isFloat = (t: number | undefined) => t === TensorDataType.FLOAT || t === TensorDataType.FLOAT16;

/** Ops that carry the weights: fp32, dynamic int8 (q8, int8, uint8) and 4-bit (q4, q4f16, bnb4) forms. */
const HEAVY = new Set([
  "MatMul",
  "Gemm",
  "Conv",
  "MatMulInteger",
  "ConvInteger",
  "MatMulNBits",
  "MatMulBnb4",
]);
/** 4-bit MatMuls pack their K × N weight; its attributes give the element count. */
const PACKED = new Set(["MatMulNBits", "MatMulBnb4"]);

function heavyWeights(g: GraphIndex, nodes: Set<number>): number {
  let w = 0;
  for (const i of nodes) {
    const n = g.nodes[i]!;
    if (!HEAVY.has(n.opType ?? "")) continue;
    if (PACKED.has(n.opType ?? "")) {
      const attr = (k: string) => Number(n.attribute?.find((a) => a.name === k)?.i ?? 0);
      w += attr("K") * attr("N");
      continue;
    }
    for (const x of n.input ?? []) {
      const t = g.initializers.get(weightSource(g, x));
      if (t) w += size(t.dims);
    }
  }
  return w;
}

/** Follows Identity nodes back to an initializer: exporters alias weights shared by several nodes that way. */
function weightSource(g: GraphIndex, x: string): string {
  let name = x;
  for (let hops = 0; hops < 8 && !g.initializers.has(name); hops++) {
    const p = g.producer.get(name);
    const n = p === undefined ? undefined : g.nodes[p];
    if (n?.opType !== "Identity" || !n.input?.[0]) break;
    name = n.input[0];
  }
  return name;
}

function crossingIsCheap(g: GraphIndex, tap: string, before: Set<number>, heavy: Set<string>): boolean {
  for (const i of before) {
    for (const o of g.nodes[i]!.output ?? []) {
      if (o === tap || !heavy.has(o)) continue;
      if ((g.consumers.get(o) ?? []).some((c) => !before.has(c))) return false;
    }
  }
  return true;
}

/** Tensors that depend on a MatMul/Gemm/Conv (one pass in topological order). */
function heavyBehind(g: GraphIndex): Set<string> {
  const heavy = new Set<string>();
  for (const n of g.nodes) {
    if (HEAVY.has(n.opType ?? "") || (n.input ?? []).some((x) => heavy.has(x))) {
      for (const o of n.output ?? []) if (o) heavy.add(o);
    }
  }
  return heavy;
}

function size(dims: (number | Long)[] | null | undefined): number {
  return (dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
}

type Long = { toString(): string };
