import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeModel, findTapCandidates, SideNetError, suggestTaps } from "@sidenet/core";
import { profileTaps, resolveMainNet, type TapProfile } from "@sidenet/core/attach";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import { shortTap, taskFor, taskOf } from "../architectures.js";
import type { CliOptions } from "../options.js";

/** About 64 tokens, the length of a short review or e-mail: FLOPs of attention depend on it. */
const TEXT_SAMPLE =
  "Thanks for your order! Your package has shipped and should arrive within three to five business days. If anything is missing or damaged, reply to this message and we will send a replacement or a refund, whichever you prefer.";
/** An 8 × 8 grey PNG: the processor resizes it to the MainNet's input size, which is what FLOPs depend on. */
const IMAGE_SAMPLE = () =>
  new Blob(
    [
      Uint8Array.from(
        atob(
          "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAD0lEQVR4nGNowAEYhpYEAILzYAGc7g8kAAAAAElFTkSuQmCC",
        ),
        (c) => c.charCodeAt(0),
      ),
    ],
    { type: "image/png" },
  );

const pct = (x: number | undefined) => (x === undefined ? "" : (x * 100).toFixed(1)).padStart(6);

/** `sidenet inspect`: the tap candidates of a MainNet with FLOPs (and measured time) shares and carried tensors. */
export async function inspect(o: CliOptions): Promise<void> {
  const log = (l: string) => console.error(l);
  const { dir } = await resolveMainNet(o.target, {
    revision: o.revision,
    cacheDir: o.cacheDir,
    taskFor,
    log,
  });
  let task: string | undefined;
  try {
    task = taskOf(dir, o.task);
  } catch (e) {
    if (!(e instanceof SideNetError && e.code === "INCOMPATIBLE_MODEL")) throw e;
  }
  let taps: (Omit<TapProfile, "flopsShare" | "carried"> & Partial<TapProfile>)[];
  if (task === "image-classification") {
    taps = await profileTaps(vision.visionAdapter, dir, IMAGE_SAMPLE(), { time: o.time });
  } else if (task === "text-classification") {
    taps = await profileTaps(text.textAdapter, dir, TEXT_SAMPLE, { time: o.time });
  } else {
    taps = findTapCandidates(decodeModel(readFileSync(join(dir, "onnx", "model.onnx"))));
  }
  if (o.json) {
    console.log(JSON.stringify({ model: o.target, dir, task: task ?? null, taps }, null, 2));
    return;
  }
  console.log(
    `${o.target} (${task ?? "architecture not in the registry: attach needs --taps, --pooling and --task"}): ${taps.length} candidate taps`,
  );
  console.log(
    `shares of the MainNet before each tap: FLOPs (counted on the graph)${o.time ? ", time (measured, batch 32)" : ""}, weights`,
  );
  console.log(
    `${" FLOPs".padStart(6)} ${o.time ? `${"time".padStart(6)} ` : ""}${"weight".padStart(6)}  tap`,
  );
  for (const t of taps) {
    const label = shortTap(t.name);
    console.log(
      `${pct(t.flopsShare)} ${o.time ? `${pct(t.timeShare)} ` : ""}${pct(t.weightShare)}  ${label === t.name ? t.name : `${label}  ${t.name}`}`,
    );
    if (t.carried?.length) console.log(`${" ".repeat(o.time ? 22 : 15)}carries ${t.carried.join(", ")}`);
  }
  if (taps.length === 0) {
    const cuts = suggestTaps(decodeModel(readFileSync(join(dir, "onnx", "model.onnx"))));
    console.log(
      `no numbered repeated blocks (layer.N, layers.N, stages.N …) in the node names; tensors that cut the graph cleanly, to pass as --taps:\n${cuts.map((c) => `  ${c}`).join("\n") || "  (none)"}`,
    );
  }
  if (!task)
    console.log("(FLOPs need the task's pre-processing: give --task for a model_type outside the registry)");
  else if (!o.time) console.log("(--time also measures the time share of each tap)");
}
