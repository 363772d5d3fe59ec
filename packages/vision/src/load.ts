import { type LoadSideNetOptions, localArtefact, poolingFactoryOf, SideNetModel } from "@sidenet/core/hf";
import { visionAdapter } from "./adapter.js";

/** Pooling of vision exits (`global-average`), checked against the artefact. */
export const visionPooling = poolingFactoryOf(visionAdapter as never);

/** Loads a vision SideNet artefact directory as a transformers.js model. */
export const SideNetForImageClassification = {
  from_pretrained(dir: string, options: LoadSideNetOptions = {}): Promise<SideNetModel> {
    return SideNetModel.load(localArtefact(dir), visionPooling, options);
  },
};
