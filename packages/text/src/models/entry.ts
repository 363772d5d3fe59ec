import { type Architecture, defineArchitecture, type PoolingName } from "@sidenet/core/runtime";

/**
 * A frozen text-classification registry entry: tokenised by `AutoTokenizer`, taps `[batch, tokens, hidden]`
 * (sequence layout); only what differs between families is passed.
 */
export function textArchitecture(o: {
  family: string;
  modelTypes: readonly string[];
  /** The first is the default. */
  poolings: readonly PoolingName[];
  tapName: (tap: string) => string | undefined;
}): Architecture {
  return defineArchitecture({
    ...o,
    task: "text-classification",
    processor: "AutoTokenizer",
    tapLayout: "sequence",
  });
}

/**
 * The tap namer shared by encoder families whose layers export as `<prefix>…/layer.<i>/…` scopes:
 * "layer i" for a tensor inside layer i under `prefix`, undefined otherwise.
 */
export function layerTapName(prefix: string, scope = "encoder/layer"): (tap: string) => string | undefined {
  const pattern = new RegExp(`^/${prefix}/${scope.replace(/\./g, "\\.")}\\.(\\d+)/`);
  return (tap) => {
    const m = pattern.exec(tap);
    return m ? `layer ${m[1]}` : undefined;
  };
}
