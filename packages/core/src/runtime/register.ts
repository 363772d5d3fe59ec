import type { ArtefactFiles } from "../artefact/source.js";
import { type LoadSideNetOptions, SideNetModel } from "./sidenet-model.js";

type FromPretrained = (id: string, options?: Record<string, unknown>) => Promise<unknown>;

/** How an entry point finds an artefact's files from a model id (a local directory, a fetched path). */
export type OpenArtefact = (id: string, options?: { revision?: string }) => ArtefactFiles;

/**
 * A reversible, narrow patch of a transformers.js Auto class's `from_pretrained` (transformers.js has no
 * model registry): SideNet artefacts load as {@link SideNetModel}s, everything else goes to the stock
 * loader untouched. Used by `registerSideNet()` of @sidenet/text and @sidenet/vision, whose `defaults`
 * (task, registry of architectures) every load gets.
 */
export function sideNetRegistration(
  autoClass: unknown,
  defaults: Pick<LoadSideNetOptions, "task" | "architectures">,
  open: OpenArtefact,
) {
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
      target.from_pretrained = async function (this: unknown, id: string, options?: Record<string, unknown>) {
        if (typeof id === "string") {
          const files = open(id, options as { revision?: string });
          if (await SideNetModel.isArtefact(files))
            return SideNetModel.load(files, { ...options, ...defaults });
        }
        return stock.call(this, id, options);
      };
    }
    return unregister;
  };
  return { register, unregister };
}
