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
