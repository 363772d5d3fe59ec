import {
  type Architecture,
  defineArchitecture,
  type PoolingName,
  type TensorLayout,
} from "@sidenet/core/runtime";

/**
 * A frozen image-classification registry entry: pre-processed by `AutoProcessor`; only what differs
 * between families is passed.
 */
export function visionArchitecture(o: {
  family: string;
  modelTypes: readonly string[];
  /** `feature-map` `[batch, channels, height, width]` (CNN blocks) or `sequence` `[batch, tokens, hidden]`. */
  tapLayout: TensorLayout;
  /** The first is the default. */
  poolings: readonly PoolingName[];
  tapName: (tap: string) => string | undefined;
}): Architecture {
  return defineArchitecture({ ...o, task: "image-classification", processor: "AutoProcessor" });
}

/**
 * A tap namer from a pattern on the tensor name whose groups are the block's indices: `words(…groups)`
 * names the tap, undefined when the pattern does not match (a tensor outside the family's blocks).
 */
export function blockTapName(
  pattern: RegExp,
  words: (...indices: string[]) => string,
): (tap: string) => string | undefined {
  return (tap) => {
    const m = pattern.exec(tap);
    return m ? words(...m.slice(1).map(String)) : undefined;
  };
}
