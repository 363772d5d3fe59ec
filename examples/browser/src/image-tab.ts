/**
 * The page's image tab: loads a SideNet image artefact with @sidenet/vision's browser build (on first
 * opening), classifies the images dropped on it or picked, and shows, per image, the label, the score, the
 * exit point (`exit 0 · stage 0 block 1`, or `MainNet (all blocks)`), the confidence and when its answer
 * was known. The files go to the pipeline as they are (`Blob`s: transformers.js decodes them).
 */
import { type ExitTelemetry, type SideNetModel, tapLabel } from "@sidenet/core/runtime";
import { pipeline, VISION_ARCHITECTURES } from "@sidenet/vision";

type Item = { label: string; score: number };
type Classify = ((
  images: Blob[],
  options?: { top_k?: number },
) => Promise<Item[][] & { sidenet: ExitTelemetry[] }>) & {
  model: SideNetModel;
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Wires the image tab's controls; the model loads when `load()` is first called. */
export function imageTab(modelName: string) {
  const status = $<HTMLParagraphElement>("image-status");
  const drop = $<HTMLDivElement>("drop");
  const input = $<HTMLInputElement>("files");
  const summary = $<HTMLParagraphElement>("image-summary");
  const table = $<HTMLTableElement>("image-results");
  const tbody = table.tBodies[0]!;
  let classify: Promise<Classify> | undefined;
  let calls = 0;

  const setStatus = (state: "loading" | "ready" | "busy" | "error", text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  const cell = (row: HTMLTableRowElement, text: string, cls?: string) => {
    const td = row.insertCell();
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  };

  function load(): Promise<Classify> {
    classify ??= (async () => {
      setStatus("loading", "Loading the model…");
      const t0 = performance.now();
      const c = (await pipeline("image-classification", modelName)) as Classify;
      const exits = c.model.manifest.exits
        .map(
          (e, i) =>
            `${tapLabel(VISION_ARCHITECTURES, e.tap)} (τ ${c.model.thresholds[i]!.toFixed(3)}, ${e.pooling} pooling)`,
        )
        .join(" → ");
      $("image-model-info").textContent =
        `${modelName}: exits at ${exits}; ${c.model.segments.length} segments; loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
      setStatus("ready", "Ready: drop or pick images.");
      return c;
    })();
    classify.catch((e: unknown) =>
      setStatus("error", `Could not load "${modelName}": ${(e as Error).message}`),
    );
    return classify;
  }

  async function run(files: File[]) {
    const images = files.filter(
      (f) => f.type.startsWith("image/") || /\.(png|jpe?g|webp|gif|bmp)$/i.test(f.name),
    );
    if (images.length === 0) return;
    const c = await load();
    setStatus("busy", `Classifying ${images.length} image${images.length === 1 ? "" : "s"}…`);
    const t0 = performance.now();
    const out = await c(images, { top_k: 1 });
    const ms = performance.now() - t0;
    tbody.replaceChildren();
    let early = 0;
    out.forEach((items, i) => {
      const t = out.sidenet[i]!;
      const top = items[0]!;
      if (t.exit >= 0) early++;
      const row = tbody.insertRow();
      Object.assign(row.dataset, {
        file: images[i]!.name,
        label: top.label,
        score: String(top.score),
        exit: String(t.exit),
        confidence: String(t.confidence),
      });
      const img = document.createElement("img");
      img.src = URL.createObjectURL(images[i]!);
      img.alt = images[i]!.name;
      row.insertCell().append(img);
      cell(row, images[i]!.name);
      cell(row, top.label);
      cell(row, top.score.toFixed(4), "num");
      cell(
        row,
        t.exit < 0 ? "MainNet (all blocks)" : `exit ${t.exit} · ${tapLabel(VISION_ARCHITECTURES, t.tap!)}`,
        "exit",
      );
      cell(row, t.confidence.toFixed(4), "num");
      cell(row, `${t.ms.toFixed(1)} ms`, "num");
    });
    calls++;
    table.dataset.call = String(calls);
    summary.textContent =
      `${images.length} images in ${ms.toFixed(1)} ms (${(ms / images.length).toFixed(1)} ms per image); ` +
      `${early} of ${images.length} answered by the SideNet.`;
    setStatus("ready", "Ready: drop or pick images.");
  }

  const request = (files: File[]) =>
    run(files).catch((e: unknown) => setStatus("error", `Error: ${(e as Error).message}`));
  input.addEventListener("change", () => void request([...(input.files ?? [])]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    void request([...(e.dataTransfer?.files ?? [])]);
  });
  return { load };
}
