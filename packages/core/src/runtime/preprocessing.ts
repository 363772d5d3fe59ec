import type { ArtefactFiles } from "../artefact/source.js";
import { CorruptArtefactError, SideNetError } from "../errors.js";
import type { SideNetModel } from "./sidenet-model.js";

/** The first of `candidates` that is present and not valid JSON (the likely culprit), else the first present. */
async function culprit(files: ArtefactFiles, candidates: readonly string[]): Promise<string> {
  let present: string | undefined;
  for (const f of candidates) {
    const bytes = await files.read(f).catch(() => undefined);
    if (!bytes) continue;
    present ??= f;
    if (!f.endsWith(".json")) continue;
    try {
      JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return f;
    }
  }
  return present ?? candidates[0] ?? "";
}

/**
 * Loads the pre-processing of a loaded SideNet model's artefact (its tokenizer or image processor,
 * through transformers.js). A failure disposes `model` (no half-loaded pipeline) and becomes a
 * CorruptArtefactError naming the files: transformers.js's own errors (e.g. a `SyntaxError` from a
 * garbled tokenizer.json) name none: the message names the first of `candidates` (the files the
 * pre-processing reads) that does not parse, else the first present. `model` is loaded first, so pinned
 * files are already checked.
 *
 * @example
 * ```ts
 * const tokenizer = await loadPreprocessing(model, files, ["tokenizer.json", "tokenizer_config.json"], "tokenizer", () =>
 *   AutoTokenizer.from_pretrained(id),
 * );
 * ```
 */
export async function loadPreprocessing<T>(
  model: SideNetModel,
  files: ArtefactFiles,
  candidates: readonly string[],
  what: "tokenizer" | "image processor",
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (e) {
    await model.dispose();
    if (e instanceof SideNetError) throw e;
    throw new CorruptArtefactError(
      files.where(await culprit(files, candidates)),
      `the ${what} could not be loaded from it (${(e as Error)?.message ?? String(e)}). Copy the MainNet's ${what} files back into the artefact, or re-run \`sidenet attach\`.`,
      { cause: e },
    );
  }
}
