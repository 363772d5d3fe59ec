/**
 * The page: loads a SideNet text artefact with @sidenet/text's browser build on transformers.js's web build,
 * classifies what the user types and shows, per text, the label, the score, where it left the network and
 * when its answer was known. `?model=<name>` picks the artefact under /models/ (default bert-sidenet);
 * `?hub=<url>&model=<id>` loads it by hub id from that hub instead. The image tab (`#image`,
 * `?image-model=<name>`, default resnet-sidenet) does the same for images (./image-tab.ts).
 */
import { env } from "@huggingface/transformers";
import { sideBySide } from "@sidenet/core";
import { type ExitTelemetry, type SideNetModel, tapLabel } from "@sidenet/core/runtime";
import { pipeline, TEXT_ARCHITECTURES, type TextClassificationItem } from "@sidenet/text";
// onnxruntime-web's runtime, bundled with the page (transformers.js would fetch it from a CDN)
import ortMjs from "onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url";
import { imageTab } from "./image-tab.js";

/** A tap in words ("layer 0"), from the registry of text architectures. */
const shortTap = (tap: string) => tapLabel(TEXT_ARCHITECTURES, tap);

type Classify = ((
  texts: string[],
  options?: { threshold?: number },
) => Promise<TextClassificationItem[] & { sidenet: ExitTelemetry[] }>) & { model: SideNetModel };

// transformers.js's own file fetching, from this server only (/models/<name>/…) — or, with `?hub=<url>`,
// from that hub only (`<url>/<id>/resolve/main/…`), the model a hub id
const hub = new URLSearchParams(location.search).get("hub");
env.allowLocalModels = !hub;
env.allowRemoteModels = !!hub;
env.localModelPath = "/models/";
if (hub) env.remoteHost = hub;
const wasm = (env.backends.onnx as { wasm: { wasmPaths: unknown; numThreads?: number } }).wasm;
wasm.wasmPaths = { mjs: ortMjs, wasm: ortWasm };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>("status");
const texts = $<HTMLTextAreaElement>("texts");
const tau = $<HTMLInputElement>("tau");
const tauValue = $<HTMLOutputElement>("tau-value");
const button = $<HTMLButtonElement>("classify");
const resetTau = $<HTMLButtonElement>("reset-tau");
const compareButton = $<HTMLButtonElement>("compare");
const comparison = $<HTMLParagraphElement>("comparison");
const summary = $<HTMLParagraphElement>("summary");
const table = $<HTMLTableElement>("results");
const tbody = table.tBodies[0]!;

const modelName = new URLSearchParams(location.search).get("model") ?? "bert-sidenet";
texts.value = [
  "Congratulations! You have won a FREE cruise. Click here to claim your prize now!!!",
  "Hi Tom, the meeting moved to 3pm tomorrow; I attached the updated agenda.",
  "Cheap meds online, no prescription needed, lowest prices guaranteed",
  "Re: the patch you sent for the build script works, thanks. Merged it this morning.",
].join("\n");

function setStatus(state: "loading" | "ready" | "busy" | "error", text: string) {
  status.dataset.state = state;
  status.textContent = text;
}

let classify: Classify;
let calls = 0;
/** τ from the slider, or undefined for the artefact's own τ per exit. */
let threshold: number | undefined;

function cell(row: HTMLTableRowElement, text: string, cls?: string) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
}

/** The text box's non-empty lines, trimmed: one text each. */
const lines = () =>
  texts.value
    .split("\n")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);

async function run() {
  const items = lines();
  setStatus("busy", "Classifying…");
  const t0 = performance.now();
  const out = await classify(items, threshold === undefined ? {} : { threshold });
  const ms = performance.now() - t0;
  tbody.replaceChildren();
  let early = 0;
  out.forEach((item, i) => {
    const t = out.sidenet[i]!;
    if (t.exit >= 0) early++;
    const row = tbody.insertRow();
    Object.assign(row.dataset, {
      text: items[i]!,
      label: item.label,
      score: String(item.score),
      exit: String(t.exit),
      confidence: String(t.confidence),
    });
    const text = items[i]!;
    cell(row, text.length > 110 ? `${text.slice(0, 110)}…` : text, "text");
    row.cells[0]!.title = text;
    cell(row, item.label);
    cell(row, item.score.toFixed(4), "num");
    cell(row, t.exit < 0 ? "MainNet (all layers)" : `exit ${t.exit} · ${shortTap(t.tap!)}`, "exit");
    cell(row, t.confidence.toFixed(4), "num");
    cell(row, `${t.ms.toFixed(1)} ms`, "num");
  });
  calls++;
  table.dataset.call = String(calls);
  table.dataset.tau = threshold === undefined ? "artefact" : String(threshold);
  summary.textContent =
    `${items.length} texts in ${ms.toFixed(1)} ms (${(ms / Math.max(1, items.length)).toFixed(1)} ms per text); ` +
    `${early} of ${items.length} answered by the SideNet, τ ${threshold === undefined ? "as stored" : threshold.toFixed(3)}.`;
  setStatus("ready", "Ready.");
}

/**
 * The texts at the current τ vs τ = 1 (the unsplit MainNet), side by side in this tab (core's
 * `sideBySide`: a warm-up call of each, then 7 rounds in rotating order): median time per call of each
 * and the ratio of the medians.
 */
async function compare() {
  const items = lines();
  setStatus("busy", "Comparing with the MainNet…");
  comparison.textContent = "";
  for (const k of Object.keys(comparison.dataset)) delete comparison.dataset[k];
  const sidenet = threshold === undefined ? {} : { threshold };
  const [a, b] = await sideBySide(
    [items],
    [(x) => classify(x, sidenet), (x) => classify(x, { threshold: 1 })],
    { rounds: 7, sizeOf: () => 1 },
  );
  // calls/s → ms per call (7 rounds: the median of the inverse is the inverse of the median)
  const [ms, full] = [1000 / a!.median, 1000 / b!.median];
  Object.assign(comparison.dataset, {
    sidenetMs: String(ms),
    mainnetMs: String(full),
    speedup: String(full / ms),
  });
  comparison.textContent =
    `${items.length} texts per call at τ ${threshold === undefined ? "as stored" : threshold.toFixed(3)}, median of 7 alternating rounds: SideNet ${ms.toFixed(1)} ms, ` +
    `MainNet (τ = 1) ${full.toFixed(1)} ms → ${(full / ms).toFixed(2)}× faster.`;
  setStatus("ready", "Ready.");
}

/** Runs one task at a time (a classification, a comparison); a classification asked for meanwhile runs next. */
let running: Promise<void> | undefined;
let again = false;
function request(task: () => Promise<void> = run) {
  if (running) {
    if (task === run) again = true;
    return;
  }
  running = task()
    .catch((e: unknown) => setStatus("error", `Error: ${(e as Error).message}`))
    .finally(() => {
      running = undefined;
      if (again) {
        again = false;
        request();
      }
    });
}

let typing: ReturnType<typeof setTimeout> | undefined;
texts.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => request(), 400);
});
tau.addEventListener("input", () => {
  tauValue.textContent = Number(tau.value).toFixed(3);
});
tau.addEventListener("change", () => {
  threshold = Number(tau.value);
  request();
});
button.addEventListener("click", () => request());
compareButton.addEventListener("click", () => request(compare));
resetTau.addEventListener("click", () => {
  threshold = undefined;
  const stored = classify.model.thresholds[0] ?? 0.5;
  tau.value = String(stored);
  tauValue.textContent = stored.toFixed(2);
  request();
});

// the tabs: the image model loads when its tab is first opened
const images = imageTab(new URLSearchParams(location.search).get("image-model") ?? "resnet-sidenet");
function show(tab: "text" | "image") {
  $("text-panel").hidden = tab !== "text";
  $("image-panel").hidden = tab !== "image";
  $("tab-text").setAttribute("aria-selected", String(tab === "text"));
  $("tab-image").setAttribute("aria-selected", String(tab === "image"));
  if (tab === "image") void images.load().catch(() => {});
}
$("tab-text").addEventListener("click", () => show("text"));
$("tab-image").addEventListener("click", () => show("image"));
if (location.hash === "#image") show("image");

try {
  const t0 = performance.now();
  classify = (await pipeline("text-classification", modelName)) as Classify;
  const m = classify.model;
  const exits = m.manifest.exits
    .map((e, i) => `${shortTap(e.tap)} (τ ${m.thresholds[i]!.toFixed(3)}, ${e.pooling} pooling)`)
    .join(" → ");
  $("model-info").textContent =
    `${modelName}: exits at ${exits}; ${m.segments.length} segments on onnxruntime-web ` +
    `(wasm, ${wasm.numThreads ?? "default"} threads, ` +
    `cross-origin isolated: ${globalThis.crossOriginIsolated}); loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
  tau.value = String(m.thresholds[0] ?? 0.5);
  tauValue.textContent = Number(tau.value).toFixed(3);
  button.disabled = false;
  resetTau.disabled = false;
  compareButton.disabled = false;
  setStatus("ready", "Ready.");
  request();
} catch (e) {
  setStatus("error", `Could not load "${modelName}": ${(e as Error).message}`);
}
