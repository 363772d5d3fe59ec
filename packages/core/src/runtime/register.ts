import type { ArtefactFiles } from "../artefact/source.js";
import { type LoadSideNetOptions, SideNetModel } from "./sidenet-model.js";

type FromPretrained = (id: string, options?: Record<string, unknown>) => Promise<unknown>;

/** How an entry point finds an artefact's files from a model id (a local directory, a fetched path). */
export type OpenArtefact = (id: string, options?: { revision?: string }) => ArtefactFiles;

type Call = (this: { model: unknown }, ...args: unknown[]) => Promise<unknown>;

/**
 * A stock transformers.js pipeline class and the SideNet pipeline that extends it: while registered, a
 * stock pipeline whose model is a {@link SideNetModel} answers through the SideNet pipeline's `_call`
 * (same outputs, plus the per-call `sidenet` telemetry and τ options).
 */
export interface PipelineClasses {
  stock: { prototype: unknown };
  sidenet: { prototype: unknown };
}

/** Routes the stock pipeline's `_call` to the SideNet one for SideNet models; returns the undo. */
function routeCalls({ stock, sidenet }: PipelineClasses): () => void {
  const proto = stock.prototype as { _call: Call };
  const own = Object.hasOwn(proto, "_call");
  const original = proto._call;
  const ours = (sidenet.prototype as { _call: Call })._call;
  proto._call = function (this: { model: unknown }, ...args: unknown[]) {
    return (this.model instanceof SideNetModel ? ours : original).apply(this, args);
  };
  return () => {
    if (own) proto._call = original;
    else delete (proto as { _call?: Call })._call;
  };
}

/**
 * A reversible, narrow patch of a transformers.js Auto class's `from_pretrained` (transformers.js has no
 * model registry): SideNet artefacts load as {@link SideNetModel}s, everything else goes to the stock
 * loader untouched. Used by `registerSideNet()` of @sidenet/text and @sidenet/vision, whose `defaults`
 * (task, registry of architectures) every load gets. With `pipelines`, the stock task
 * pipeline's calls on SideNet models also go through the SideNet pipeline, so results carry telemetry.
 */
export function sideNetRegistration(
  autoClass: unknown,
  defaults: Pick<LoadSideNetOptions, "task" | "architectures" | "preprocessing_files">,
  open: OpenArtefact,
  pipelines?: PipelineClasses,
) {
  const target = autoClass as { from_pretrained: FromPretrained };
  let original: FromPretrained | undefined;
  let restoreCall: (() => void) | undefined;
  const unregister = (): void => {
    if (original) {
      target.from_pretrained = original;
      original = undefined;
    }
    restoreCall?.();
    restoreCall = undefined;
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
      if (pipelines) restoreCall = routeCalls(pipelines);
    }
    return unregister;
  };
  return { register, unregister };
}
