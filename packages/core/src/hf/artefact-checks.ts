import { SIDENET_JSON, type SideNetManifest } from "../artefact/format.js";
import { CorruptArtefactError } from "../errors.js";
import type { ArtefactFiles } from "./artefact-files.js";
import type { HfModel } from "./transformers.js";

/** File-name suffix transformers.js appends per dtype (`onnx/<name><suffix>.onnx`). */
export const DTYPE_SUFFIX: Record<string, string> = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
};

/** The artefact's config.json, checked to be there and to parse. */
export async function readConfig(files: ArtefactFiles): Promise<Record<string, unknown>> {
  const file = files.where("config.json");
  const bytes = await files.read("config.json");
  if (!bytes) {
    throw new CorruptArtefactError(
      file,
      "is missing: copy the MainNet's config.json back or re-run `sidenet attach`.",
    );
  }
  try {
    const config: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof config !== "object" || config === null || Array.isArray(config))
      throw new Error("not an object");
    return config as Record<string, unknown>;
  } catch (e) {
    throw new CorruptArtefactError(
      file,
      `is not a valid config (${(e as Error).message}). Copy the MainNet's config.json back or re-run \`sidenet attach\`.`,
      { cause: e },
    );
  }
}

type SessionNames = { inputNames: readonly string[]; outputNames: readonly string[] };

/**
 * Checks the loaded segment graphs against sidenet.json: each reads only what the model takes or an
 * earlier segment produces and what `segment_inputs` lists (the cascade keeps only those), and each
 * produces its exit's tap (the last: `logits`). A mismatch would otherwise surface as an ORT error at
 * the first call.
 */
export function checkSegments(
  artefact: ArtefactFiles,
  manifest: SideNetManifest,
  files: readonly string[],
  segments: HfModel[],
) {
  const names = (m: HfModel) => (m as unknown as { sessions?: { model?: SessionNames } }).sessions?.model;
  const first = names(segments[0]!);
  if (!first) return;
  const available = new Set(first.inputNames);
  for (const [i, seg] of segments.entries()) {
    const s = names(seg);
    if (!s) continue;
    const file = artefact.where(files[i]!);
    for (const x of s.inputNames) {
      if (!available.has(x)) {
        throw new CorruptArtefactError(
          file,
          `reads "${x}", which neither the model's inputs nor an earlier segment provide. The segment files do not belong together: re-run \`sidenet attach\`.`,
        );
      }
      if (!manifest.segment_inputs[i]!.includes(x)) {
        throw new CorruptArtefactError(
          artefact.where(SIDENET_JSON),
          `field \`segment_inputs[${i}]\` does not list "${x}", which ${files[i]} reads. Re-run \`sidenet attach\`.`,
        );
      }
    }
    const want = i < segments.length - 1 ? manifest.exits[i]!.tap : "logits";
    if (!s.outputNames.includes(want)) {
      throw new CorruptArtefactError(
        file,
        `does not produce "${want}"${i < segments.length - 1 ? ` (sidenet.json field \`exits[${i}].tap\`)` : ""}. Re-run \`sidenet attach\`.`,
      );
    }
    const folded = i < segments.length - 1 ? manifest.exits[i]!.logits_output : undefined;
    if (folded !== undefined && !s.outputNames.includes(folded)) {
      throw new CorruptArtefactError(
        file,
        `does not produce "${folded}" (sidenet.json field \`exits[${i}].logits_output\`). Re-run \`sidenet attach\`.`,
      );
    }
    for (const o of s.outputNames) available.add(o);
  }
}
