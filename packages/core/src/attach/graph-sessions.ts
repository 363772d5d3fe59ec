import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoModel, DEFAULT_SESSION_OPTIONS, type HfModel } from "../runtime/transformers.js";

/**
 * transformers.js sessions for ONNX graphs held in memory (segments, probes of a MainNet): they are
 * written beside a copy of the MainNet's config.json in a temporary directory, loaded, and the directory
 * removed.
 */
export async function loadGraphSessions(
  configPath: string,
  graphs: readonly { name: string; bytes: Uint8Array }[],
): Promise<HfModel[]> {
  const tmp = mkdtempSync(join(tmpdir(), "sidenet-graphs-"));
  const sessions: HfModel[] = [];
  try {
    copyFileSync(configPath, join(tmp, "config.json"));
    mkdirSync(join(tmp, "onnx"));
    for (const g of graphs) {
      writeFileSync(join(tmp, "onnx", `${g.name}.onnx`), g.bytes);
      sessions.push(
        await AutoModel.from_pretrained(tmp, {
          model_file_name: g.name,
          session_options: DEFAULT_SESSION_OPTIONS,
        }),
      );
    }
    return sessions;
  } catch (e) {
    await Promise.all(sessions.map((s) => s.dispose()));
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
