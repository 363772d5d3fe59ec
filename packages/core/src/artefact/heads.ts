import { CorruptArtefactError } from "../errors.js";
import { MlpHead } from "../head/mlp-head.js";
import { readSafetensors, type SafetensorsTensor, writeSafetensors } from "../io/safetensors.js";
import { HEADS_FILE } from "./files.js";
import type { ExitSpec } from "./format.js";

const PARTS = ["w1", "b1", "w2", "b2"] as const;

/** Serialises heads as `<prefix>.w1 [in, hidden]`, `.b1 [hidden]`, `.w2 [hidden, classes]`, `.b2 [classes]`. */
export function headsToSafetensors(heads: { prefix: string; head: MlpHead }[]): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const { prefix, head } of heads) {
    const { inputSize: i, hiddenSize: h, classes: c } = head.shape;
    const shapes = { w1: [i, h], b1: [h], w2: [h, c], b2: [c] };
    for (const p of PARTS)
      tensors[`${prefix}.${p}`] = { dtype: "F32", shape: shapes[p], data: head[p].slice() };
  }
  return writeSafetensors(tensors, { format: "sidenet-heads", format_version: "1" });
}

/**
 * Reads the heads an artefact's exits name from heads.safetensors bytes, checking names, dtypes,
 * shapes against the manifest, and that every weight is finite.
 */
export function headsFromSafetensors(
  bytes: Uint8Array,
  exits: readonly ExitSpec[],
  file = HEADS_FILE,
): MlpHead[] {
  const { tensors } = readSafetensors(bytes, file);
  return exits.map((e, k) => {
    const { input_size: i, hidden_size: h, classes: c, activation } = e.head;
    const shapes = { w1: [i, h], b1: [h], w2: [h, c], b2: [c] };
    // every tensor is checked against the manifest before the head is allocated: its size is then
    // bounded by the file's, whatever sidenet.json claims
    for (const p of PARTS) {
      const name = `${e.weights}.${p}`;
      const t = tensors[name];
      if (!t) {
        throw new CorruptArtefactError(
          file,
          `tensor "${name}" of exits[${k}] is missing. Re-create the artefact with \`sidenet attach\`.`,
        );
      }
      if (t.dtype !== "F32" || JSON.stringify(t.shape) !== JSON.stringify(shapes[p])) {
        throw new CorruptArtefactError(
          file,
          `tensor "${name}" is ${t.dtype} [${t.shape}]; sidenet.json's exits[${k}].head expects F32 [${shapes[p]}]. The head file and sidenet.json do not belong together. Re-create the artefact with \`sidenet attach\`.`,
        );
      }
      const data = t.data as Float32Array;
      for (let j = 0; j < data.length; j++) {
        if (!Number.isFinite(data[j])) {
          throw new CorruptArtefactError(
            file,
            `tensor "${name}" holds a non-finite weight (${data[j]}) at index ${j}. Re-train the head.`,
          );
        }
      }
    }
    const head = new MlpHead({ inputSize: i, hiddenSize: h, classes: c, activation });
    for (const p of PARTS) head[p].set(tensors[`${e.weights}.${p}`]!.data as Float32Array);
    return head;
  });
}
