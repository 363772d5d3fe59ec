/**
 * The browser build's import graph (`browser` export condition of @sidenet/vision), walked statically from
 * packages/vision/src/browser.ts: no Node built-in module anywhere in it, and none of the attach or
 * data-reading modules.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE, PACKAGES, walk } from "../../core/test/helpers/import-graph.js";

describe("the browser build of @sidenet/vision", () => {
  const { files, external } = walk(join(PACKAGES, "vision", "src", "browser.ts"));

  it("imports no Node built-in module", () => {
    const node = [...external].filter(([spec]) => NODE.has(spec)).map(([spec, f]) => `${f} imports ${spec}`);
    expect(node).toEqual([]);
  });

  it("is the SideNet runtime over fetched artefacts, without the Node-only parts", () => {
    // not vacuous: the walk reaches the model, the cascade, the fetching source and the image pipeline…
    expect(files).toEqual(
      expect.arrayContaining([
        "core/src/runtime/sidenet-model.ts",
        "core/src/runtime/remote-artefact.ts",
        "core/src/routing/cascade.ts",
        "vision/src/image-pipeline.ts",
        "vision/src/read-image.ts",
      ]),
    );
    // …and none of the local-disk, attach or data-reading modules
    for (const f of [
      "core/src/artefact/local.ts",
      "core/src/artefact/write.ts",
      "core/src/attach/attach.ts",
      "core/src/artefact/fs.ts",
      "vision/src/adapter.ts",
      "vision/src/data.ts",
    ])
      expect(files).not.toContain(f);
    expect([...external.keys()].sort()).toEqual(["@huggingface/transformers", "onnx-proto"]);
  });

  it("the Node build does reach the Node-only parts (the walk tells the two apart)", () => {
    const node = walk(join(PACKAGES, "vision", "src", "index.ts"));
    expect(node.files).toContain("vision/src/data.ts");
    expect([...node.external.keys()].some((s) => NODE.has(s))).toBe(true);
  });
});
