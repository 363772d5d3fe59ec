import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IncompatibleModelError, InvalidArgumentError } from "@sidenet/core";
import { SIDENET_JSON } from "@sidenet/core/artefact";
import {
  type Architecture,
  architectureOf,
  findArchitecture,
  type SideNetTask,
  tapLabel,
} from "@sidenet/core/runtime";
import { TEXT_ARCHITECTURES } from "@sidenet/text";
import { VISION_ARCHITECTURES } from "@sidenet/vision";

/** Every architecture the CLI can attach to: the modality packages' registries. */
export const ARCHITECTURES: readonly Architecture[] = Object.freeze([
  ...TEXT_ARCHITECTURES,
  ...VISION_ARCHITECTURES,
]);

const TASKS: readonly SideNetTask[] = ["text-classification", "image-classification"];

/** A tap in words ("layer 2", "stage 0 block 1"), else the tensor's name. */
export const shortTap = (tap: string): string => tapLabel(ARCHITECTURES, tap);

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) {
    throw new InvalidArgumentError(
      `${path} not found: expected a MainNet directory (config.json, onnx/model.onnx) or a SideNet artefact (sidenet.json).`,
    );
  }
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidArgumentError(`${path} is not valid JSON (${(e as Error).message}).`);
  }
}

/**
 * The task of a model directory: an artefact's `task`, else the registry's architecture for the
 * MainNet's `model_type`; `--task` names it for a MainNet outside the registry.
 */
export function taskOf(dir: string, task?: string): SideNetTask {
  if (task !== undefined) {
    if (!TASKS.includes(task as SideNetTask)) {
      throw new InvalidArgumentError(`--task is "${task}"; expected ${TASKS.join(" or ")}.`);
    }
    return task as SideNetTask;
  }
  if (existsSync(join(dir, SIDENET_JSON))) {
    const t = readJson(join(dir, SIDENET_JSON)).task;
    if (!TASKS.includes(t as SideNetTask)) {
      throw new IncompatibleModelError(
        `${join(dir, SIDENET_JSON)}: field \`task\` is ${JSON.stringify(t)}; expected ${TASKS.join(" or ")}.`,
      );
    }
    return t as SideNetTask;
  }
  const configPath = join(dir, "config.json");
  const modelType = readJson(configPath).model_type;
  return architectureOf(ARCHITECTURES, typeof modelType === "string" ? modelType : undefined, configPath)
    .task;
}

/** The task of a `model_type` in the registry (undefined outside it). */
export const taskFor = (modelType: string | undefined): SideNetTask | undefined =>
  findArchitecture(ARCHITECTURES, modelType)?.task;
