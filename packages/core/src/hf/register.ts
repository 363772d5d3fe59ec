import { type PoolingFactory, SideNetModel } from "./sidenet-model.js";

type FromPretrained = (id: string, options?: Record<string, unknown>) => Promise<unknown>;

/**
 * A reversible, narrow patch of a transformers.js Auto class's `from_pretrained` (transformers.js has no
 * model registry): SideNet artefact directories load as {@link SideNetModel}s, everything else goes to
 * the stock loader untouched. Used by `registerSideNet()` of @sidenet/text and @sidenet/vision.
 */
export function sideNetRegistration(autoClass: unknown, pooling: PoolingFactory) {
  const target = autoClass as { from_pretrained: FromPretrained };
  let original: FromPretrained | undefined;
  const unregister = (): void => {
    if (original) {
      target.from_pretrained = original;
      original = undefined;
    }
  };
  const register = (): (() => void) => {
    if (!original) {
      const stock = target.from_pretrained;
      original = stock;
      target.from_pretrained = function (this: unknown, id: string, options?: Record<string, unknown>) {
        if (typeof id === "string" && SideNetModel.isArtefact(id))
          return SideNetModel.load(id, pooling, options ?? {});
        return stock.call(this, id, options);
      };
    }
    return unregister;
  };
  return { register, unregister };
}
