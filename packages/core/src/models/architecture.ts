import { IncompatibleModelError } from "../errors.js";
import type { PoolingName, TensorLayout } from "../pooling/index.js";

/** The tasks sidenet serves, as transformers.js names them. */
export type SideNetTask = "text-classification" | "image-classification";

/**
 * A family of MainNets sidenet supports: one entry per family in a modality package's frozen registry
 * (`@sidenet/text` `models/bert.ts`, `@sidenet/vision` `models/resnet.ts`, …).
 */
export interface Architecture {
  /** Family name, e.g. "bert". */
  readonly family: string;
  /** The `config.json` `model_type` values it covers. */
  readonly modelTypes: readonly string[];
  readonly task: SideNetTask;
  /** What transformers.js loads to pre-process inputs for it. */
  readonly processor: "AutoTokenizer" | "AutoProcessor";
  /** Layout of its tap tensors (layer / stage outputs); the poolings must read it. */
  readonly tapLayout: TensorLayout;
  /** Poolings that fit its taps, the first being the default. */
  readonly poolings: readonly PoolingName[];
  /** A tap in words ("layer 3", "stage 1 block 0"), undefined for a tensor outside its tap layout. */
  tapName(tap: string): string | undefined;
}

/** A registry entry, frozen with its lists (what each modality's registry files build on). */
export function defineArchitecture(a: Architecture): Architecture {
  return Object.freeze({
    ...a,
    modelTypes: Object.freeze([...a.modelTypes]),
    poolings: Object.freeze([...a.poolings]),
  });
}

/** The architecture of `registry` covering `modelType`; undefined outside the registry. */
export function findArchitecture(
  registry: readonly Architecture[] | undefined,
  modelType: unknown,
): Architecture | undefined {
  return typeof modelType === "string" ? registry?.find((a) => a.modelTypes.includes(modelType)) : undefined;
}

/**
 * The architecture of `registry` covering `modelType`, or an IncompatibleModelError listing the supported
 * model types (and that `--taps` names taps on any graph).
 */
export function architectureOf(
  registry: readonly Architecture[],
  modelType: string | undefined,
  where: string,
): Architecture {
  const found = findArchitecture(registry, modelType);
  if (found) return found;
  const supported = registry.flatMap((a) => a.modelTypes);
  throw new IncompatibleModelError(
    `${where}: model_type ${JSON.stringify(modelType)} is not in sidenet's registry (supported: ${supported.join(", ")}). ` +
      "For another architecture, name the tap tensors with `--taps` (any node output of the graph; `sidenet inspect` lists candidates) and the task with `--task`.",
  );
}

/** A tap in words, from the first architecture that names it; the tensor name itself otherwise. */
export function tapLabel(registry: readonly Architecture[], tap: string): string {
  for (const a of registry) {
    const name = a.tapName(tap);
    if (name !== undefined) return name;
  }
  return tap;
}

/**
 * The structural tap candidates `arch` names (its blocks' outputs; not, e.g., a ConvNeXt stage's
 * downsampling layers or the classifier's Flatten); all of them for an architecture outside the registry.
 */
export function namedTaps<T extends { name: string }>(
  arch: Architecture | undefined,
  candidates: readonly T[],
): T[] {
  return arch ? candidates.filter((c) => arch.tapName(c.name) !== undefined) : [...candidates];
}
